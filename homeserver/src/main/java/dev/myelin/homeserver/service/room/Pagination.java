package dev.myelin.homeserver.service.room;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.Requester;
import dev.myelin.homeserver.service.EventCache;
import dev.myelin.homeserver.service.Streams;
import dev.myelin.homeserver.service.sync.EventFilter;
import dev.myelin.homeserver.service.sync.SyncToken;
import dev.myelin.homeserver.storage.EventStore;
import dev.myelin.homeserver.storage.EventStore.Direction;
import dev.myelin.homeserver.storage.RoomStateStore;
import dev.myelin.homeserver.storage.StoredEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** History: {@code /messages} in both directions and {@code /context} around an event. */
public final class Pagination {
    private static final int MAX_LIMIT = 1000;

    private final EventStore store;
    private final EventCache cache;
    private final RoomStateStore roomStore;
    private final ClientEvents clientEvents;
    private final Visibility visibility;
    private final Streams streams;
    private final Backfill backfill;

    /** Fetches a room's earlier history from other servers when local history ends before the room's start. */
    @FunctionalInterface
    public interface Backfill {
        Backfill NONE = (roomId, limit) -> false;

        /** Whether any earlier events were added. */
        boolean fetchOlder(RoomId roomId, int limit);
    }

    public Pagination(EventStore store, EventCache cache, RoomStateStore roomStore, ClientEvents clientEvents,
                      Visibility visibility, Streams streams, Backfill backfill) {
        this.backfill = backfill;
        this.store = store;
        this.cache = cache;
        this.roomStore = roomStore;
        this.clientEvents = clientEvents;
        this.visibility = visibility;
        this.streams = streams;
    }

    /** {@code GET /rooms/{roomId}/messages}. */
    public ObjectNode messages(Requester requester, RoomId roomId, SyncToken from, SyncToken to, Direction dir,
                               int limit, EventFilter filter) {
        long upTo = Math.min(visibility.readableUpTo(requester.userId(), roomId), streams.roomEvents().current());
        int pageSize = Math.min(Math.max(limit, 0), MAX_LIMIT);
        SyncToken start;
        List<StoredEvent> chunk;
        if (dir == Direction.BACKWARDS) {
            long fromPos = Math.min(from == null ? upTo : from.roomEvents(), upTo);
            start = from != null ? from : new SyncToken(fromPos, 0);
            long toPos = to == null ? Long.MIN_VALUE : to.roomEvents();
            chunk = cache.current(store.roomEvents(roomId, fromPos, toPos, dir, pageSize, filter.query()));
            boolean reachedCreate = !chunk.isEmpty() && chunk.get(chunk.size() - 1).pdu().type().equals("m.room.create");
            if (chunk.size() < pageSize && to == null && !reachedCreate
                    && backfill.fetchOlder(roomId, pageSize - chunk.size())) {
                chunk = cache.current(store.roomEvents(roomId, fromPos, toPos, dir, pageSize, filter.query()));
            }
        } else {
            long fromPos = from == null ? 0 : from.roomEvents();
            start = from != null ? from : new SyncToken(0, 0);
            long toPos = Math.min(to == null ? upTo : to.roomEvents(), upTo);
            chunk = cache.current(store.roomEvents(roomId, fromPos, toPos, dir, pageSize, filter.query()));
        }
        ObjectNode body = Json.object();
        body.put("start", start.toString());
        if (!chunk.isEmpty() && chunk.size() == pageSize) {
            StoredEvent last = chunk.get(chunk.size() - 1);
            long end = dir == Direction.BACKWARDS ? last.stream() - 1 : last.stream();
            body.put("end", start.withRoomEvents(end).toString());
        }
        List<StoredEvent> shown = visibility.visible(requester.userId(), roomId, chunk);
        ArrayNode events = body.putArray("chunk");
        clientEvents.formatAll(shown, requester).forEach(events::add);
        if (filter.lazyLoadMembers()) {
            body.set("state", memberEvents(requester, roomId, shown));
        }
        return body;
    }

    /** {@code GET /rooms/{roomId}/context/{eventId}}. */
    public ObjectNode context(Requester requester, RoomId roomId, EventId eventId, int limit, EventFilter filter) {
        long upTo = Math.min(visibility.readableUpTo(requester.userId(), roomId), streams.roomEvents().current());
        StoredEvent event = cache.get(eventId)
                .filter(e -> e.pdu().roomId().equals(roomId) && e.stream() <= upTo)
                .filter(e -> visibility.canSee(requester.userId(), e))
                .orElseThrow(() -> MatrixException.notFound("Event not found."));
        int total = Math.min(Math.max(limit, 0), 100);
        int beforeCount = total / 2;
        List<StoredEvent> before = visibility.visible(requester.userId(), roomId, cache.current(store.roomEvents(roomId,
                event.stream() - 1, 0, Direction.BACKWARDS, beforeCount, filter.query())));
        List<StoredEvent> after = visibility.visible(requester.userId(), roomId, cache.current(store.roomEvents(roomId,
                event.stream(), upTo, Direction.FORWARDS, total - beforeCount, filter.query())));
        ObjectNode body = Json.object();
        body.set("event", clientEvents.format(event, requester));
        body.set("events_before", array(requester, before));
        body.set("events_after", array(requester, after));
        long start = before.isEmpty() ? event.stream() - 1 : before.get(before.size() - 1).stream() - 1;
        long end = after.isEmpty() ? event.stream() : after.get(after.size() - 1).stream();
        body.put("start", new SyncToken(start, 0).toString());
        body.put("end", new SyncToken(end, 0).toString());
        StoredEvent last = after.isEmpty() ? event : after.get(after.size() - 1);
        Map<StateKey, EventId> state = roomStore.stateOfGroup(last.stateGroup());
        if (filter.lazyLoadMembers()) {
            List<StoredEvent> shown = new ArrayList<>(before);
            shown.add(event);
            shown.addAll(after);
            body.set("state", memberEvents(requester, roomId, shown));
        } else {
            body.set("state", array(requester, cache.getAll(state.values())));
        }
        return body;
    }

    /** The current member events of the senders of the given events. */
    private ArrayNode memberEvents(Requester requester, RoomId roomId, Collection<StoredEvent> shown) {
        Set<String> senders = new HashSet<>();
        shown.forEach(e -> senders.add(e.pdu().sender().value()));
        Map<StateKey, EventId> current = roomStore.currentState(roomId);
        List<EventId> ids = new ArrayList<>();
        for (String sender : senders) {
            EventId id = current.get(new StateKey("m.room.member", sender));
            if (id != null) {
                ids.add(id);
            }
        }
        return array(requester, cache.getAll(ids));
    }

    private ArrayNode array(Requester requester, Collection<StoredEvent> events) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        clientEvents.formatAll(events, requester).forEach(array::add);
        return array;
    }
}
