package dev.myelin.homeserver.service.room;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.Requester;
import dev.myelin.homeserver.service.EventCache;
import dev.myelin.homeserver.storage.RoomStateStore;
import dev.myelin.homeserver.storage.StoredEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Reading rooms as a member: state, single events and membership lists. */
public final class RoomQueries {
    private final LiveRooms rooms;
    private final RoomStateStore roomStore;
    private final EventCache events;
    private final ClientEvents clientEvents;
    private final Visibility visibility;

    public RoomQueries(LiveRooms rooms, RoomStateStore roomStore, EventCache events, ClientEvents clientEvents,
                       Visibility visibility) {
        this.rooms = rooms;
        this.roomStore = roomStore;
        this.events = events;
        this.clientEvents = clientEvents;
        this.visibility = visibility;
    }

    /** The room state the user may see: current while joined, as of their departure after. */
    public List<ObjectNode> state(Requester requester, RoomId roomId) {
        return stateEvents(requester, roomId).values().stream()
                .map(e -> clientEvents.format(e, requester)).toList();
    }

    /** One state event's content. */
    public ObjectNode stateContent(Requester requester, RoomId roomId, String type, String stateKey) {
        StoredEvent event = stateEvents(requester, roomId).get(new StateKey(type, stateKey));
        if (event == null) {
            throw MatrixException.notFound("Event not found.");
        }
        return event.pdu().content();
    }

    /** {@code GET /rooms/{roomId}/event/{eventId}}. */
    public ObjectNode event(Requester requester, RoomId roomId, EventId eventId) {
        long upTo = visibility.readableUpTo(requester.userId(), roomId);
        StoredEvent event = events.get(eventId)
                .filter(e -> e.pdu().roomId().equals(roomId) && e.stream() <= upTo)
                .filter(e -> visibility.canSee(requester.userId(), e))
                .orElseThrow(() -> MatrixException.notFound("Event not found."));
        return clientEvents.format(event, requester);
    }

    /** The m.room.member events of the room, optionally only those with one membership. */
    public List<ObjectNode> members(Requester requester, RoomId roomId, String membership, String notMembership) {
        List<ObjectNode> result = new ArrayList<>();
        for (Map.Entry<StateKey, StoredEvent> entry : stateEvents(requester, roomId).entrySet()) {
            if (!entry.getKey().type().equals("m.room.member")) {
                continue;
            }
            String value = entry.getValue().pdu().membership();
            if ((membership == null || membership.equals(value)) && (notMembership == null || !notMembership.equals(value))) {
                result.add(clientEvents.format(entry.getValue(), requester));
            }
        }
        return result;
    }

    /** Joined members with their display names and avatars; only for members who are joined. */
    public Map<UserId, Pdu> joinedMembers(Requester requester, RoomId roomId) {
        LiveRoom room = room(roomId);
        if (!"join".equals(room.membership(requester.userId()))) {
            throw MatrixException.forbidden("You are not joined to this room");
        }
        Map<UserId, Pdu> joined = new TreeMap<>(Comparator.comparing(UserId::value));
        for (UserId user : room.joined()) {
            joined.put(user, room.state("m.room.member", user.value()));
        }
        return joined;
    }

    /** IDs of the rooms the user is joined to. */
    public List<RoomId> joinedRooms(UserId user) {
        return roomStore.membershipsOf(user).stream().filter(m -> m.membership().equals("join"))
                .map(RoomStateStore.MembershipRow::roomId).toList();
    }

    private Map<StateKey, StoredEvent> stateEvents(Requester requester, RoomId roomId) {
        LiveRoom room = room(roomId);
        long upTo = visibility.readableUpTo(requester.userId(), roomId);
        Map<StateKey, EventId> ids;
        if (upTo == Long.MAX_VALUE) {
            ids = room.stateIds();
        } else {
            Optional<RoomStateStore.MembershipRow> row = roomStore.membership(roomId, requester.userId());
            StoredEvent leave = events.get(row.orElseThrow().eventId()).orElseThrow();
            ids = roomStore.stateOfGroup(leave.stateGroup());
        }
        Map<StateKey, StoredEvent> result = new LinkedHashMap<>();
        Map<EventId, StoredEvent> loaded = new HashMap<>();
        events.getAll(ids.values()).forEach(e -> loaded.put(e.pdu().eventId(), e));
        ids.forEach((key, id) -> {
            StoredEvent e = loaded.get(id);
            if (e != null) {
                result.put(key, e);
            }
        });
        return result;
    }

    private LiveRoom room(RoomId roomId) {
        return rooms.get(roomId).orElseThrow(() -> MatrixException.forbidden("You are not a member of this room"));
    }
}
