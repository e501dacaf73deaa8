package dev.myelin.homeserver.service.room;

import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.service.EventCache;
import dev.myelin.homeserver.storage.RoomStateStore;
import dev.myelin.homeserver.storage.RoomStateStore.MembershipRow;
import dev.myelin.homeserver.storage.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Which of a room's events a user may read, by the spec's history visibility rules: an event is
 * visible when the room was {@code world_readable} at it, the user was joined at it, the room was
 * {@code shared} and the user joined at some point after it, or the room was {@code invited} and
 * the user was invited at it. "At the event" is the room state after the event.
 *
 * <p>Pages are judged in one pass: events after the user's current join need no lookup, the
 * others cost one lookup per distinct state group ({@link StateAtEvent}).
 */
public final class Visibility {
    private final RoomStateStore roomStore;
    private final LiveRooms rooms;
    private final StateAtEvent stateAt;

    public Visibility(RoomStateStore roomStore, LiveRooms rooms, EventCache events) {
        this.roomStore = roomStore;
        this.rooms = rooms;
        this.stateAt = new StateAtEvent(roomStore, events);
    }

    /**
     * The last stream position the user may read in the room: everything while joined or while
     * the room is world-readable, up to their departure once they have left or been banned.
     * Throws 403 when they may read nothing.
     */
    public long readableUpTo(UserId user, RoomId roomId) {
        Optional<MembershipRow> membership = roomStore.membership(roomId, user);
        String current = membership.map(MembershipRow::membership).orElse("");
        if (current.equals("join") || worldReadable(roomId)) {
            return Long.MAX_VALUE;
        }
        return switch (current) {
            case "leave", "ban" -> membership.get().stream();
            default -> throw MatrixException.forbidden("You are not a member of this room");
        };
    }

    /** Whether the user may read this one event. */
    public boolean canSee(UserId user, StoredEvent event) {
        return !visible(user, event.pdu().roomId(), List.of(event)).isEmpty();
    }

    /** The events of one room that the user may read, in the order given. */
    public List<StoredEvent> visible(UserId user, RoomId roomId, List<StoredEvent> events) {
        if (events.isEmpty()) {
            return events;
        }
        return visible(roomStore.membership(roomId, user).orElse(null), user, roomId, events);
    }

    /** The same, for a caller that holds the user's current membership of the room (null if none). */
    public List<StoredEvent> visible(MembershipRow membership, UserId user, RoomId roomId, List<StoredEvent> events) {
        long joinedSince = membership != null && membership.membership().equals("join")
                ? membership.stream() : Long.MAX_VALUE;
        if (events.stream().allMatch(e -> e.stream() >= joinedSince)) {
            return events; // the common case: nothing before the user's current join
        }
        OptionalLong lastJoin = null;
        List<StoredEvent> result = new ArrayList<>(events.size());
        for (StoredEvent event : events) {
            if (event.stream() >= joinedSince || isOwnMembership(event.pdu(), user)) {
                result.add(event);
                continue;
            }
            StateAtEvent.Facts at = stateAt.at(event, user);
            boolean allowed = switch (at.visibility()) {
                case WORLD_READABLE -> true;
                case JOINED -> "join".equals(at.membership());
                case INVITED -> "join".equals(at.membership()) || "invite".equals(at.membership());
                case SHARED -> {
                    if ("join".equals(at.membership())) {
                        yield true;
                    }
                    if (lastJoin == null) {
                        lastJoin = roomStore.lastJoin(roomId, user);
                    }
                    yield lastJoin.isPresent() && lastJoin.getAsLong() > event.stream();
                }
            };
            if (allowed) {
                result.add(event);
            }
        }
        return result;
    }

    /** Whether the room's current history visibility is {@code world_readable}. */
    public boolean worldReadable(RoomId roomId) {
        return rooms.get(roomId)
                .map(room -> HistoryVisibility.of(room.state("m.room.history_visibility", "")))
                .orElse(HistoryVisibility.SHARED) == HistoryVisibility.WORLD_READABLE;
    }

    private static boolean isOwnMembership(Pdu pdu, UserId user) {
        return pdu.type().equals("m.room.member") && user.value().equals(pdu.stateKey());
    }
}
