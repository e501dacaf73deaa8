package dev.myelin.homeserver.service.relations;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.Requester;
import dev.myelin.homeserver.service.EventCache;
import dev.myelin.homeserver.service.Streams;
import dev.myelin.homeserver.service.room.ClientEvents;
import dev.myelin.homeserver.service.room.Visibility;
import dev.myelin.homeserver.service.sync.SyncToken;
import dev.myelin.homeserver.storage.EventStore.Direction;
import dev.myelin.homeserver.storage.Relation;
import dev.myelin.homeserver.storage.RelationStore;
import dev.myelin.homeserver.storage.StoredEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /_matrix/client/v1/rooms/{roomId}/relations/{eventId}[/{relType}[/{eventType}]]}:
 * the events relating to one event, newest first by default, paginated with the same stream
 * tokens as {@code /messages} and {@code /sync}, only those the user may read.
 */
public final class RelationPages {
    /** How many levels of relations {@code recurse=true} follows (the spec asks for at least 3). */
    public static final int RECURSION_DEPTH = 3;
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 1000;

    /** The query of one page; {@code relType}, {@code eventType}, {@code from}, {@code to}, {@code limit} may be null. */
    public record Query(String relType, String eventType, SyncToken from, SyncToken to, Direction dir, Long limit,
                        boolean recurse) {
    }

    private final RelationStore store;
    private final EventCache events;
    private final ClientEvents clientEvents;
    private final Visibility visibility;
    private final Streams streams;

    public RelationPages(RelationStore store, EventCache events, ClientEvents clientEvents, Visibility visibility,
                         Streams streams) {
        this.store = store;
        this.events = events;
        this.clientEvents = clientEvents;
        this.visibility = visibility;
        this.streams = streams;
    }

    public ObjectNode page(Requester requester, RoomId roomId, EventId parentId, Query query) {
        long upTo = Math.min(visibility.readableUpTo(requester.userId(), roomId), streams.roomEvents().current());
        events.get(parentId)
                .filter(e -> e.pdu().roomId().equals(roomId) && e.stream() <= upTo
                        && visibility.canSee(requester.userId(), e))
                .orElseThrow(() -> MatrixException.notFound("Event not found."));
        if (query.limit() != null && query.limit() < 0) {
            throw MatrixException.invalidParam("limit must not be negative");
        }
        int limit = (int) Math.min(query.limit() == null ? DEFAULT_LIMIT : query.limit(), MAX_LIMIT);
        Set<EventId> parents = query.recurse() ? ancestors(roomId, parentId, upTo) : Set.of(parentId);
        List<Relation> page;
        if (query.dir() == Direction.FORWARDS) {
            long from = query.from() == null ? 0 : query.from().roomEvents();
            long to = Math.min(query.to() == null ? upTo : query.to().roomEvents(), upTo);
            page = store.children(roomId, parents, query.relType(), query.eventType(), from, to, Direction.FORWARDS, limit);
        } else {
            long from = Math.min(query.from() == null ? upTo : query.from().roomEvents(), upTo);
            long to = query.to() == null ? 0 : query.to().roomEvents();
            page = store.children(roomId, parents, query.relType(), query.eventType(), from, to, Direction.BACKWARDS, limit);
        }
        List<StoredEvent> chunk = visibility.visible(requester.userId(), roomId,
                events.getAll(page.stream().map(r -> EventId.of(r.eventId())).toList()));
        ObjectNode body = Json.object();
        ArrayNode array = body.putArray("chunk");
        clientEvents.formatAll(chunk, requester).forEach(array::add);
        if (!page.isEmpty() && page.size() == limit) {
            long last = page.get(page.size() - 1).stream();
            long next = query.dir() == Direction.FORWARDS ? last : last - 1;
            body.put("next_batch", base(query).withRoomEvents(next).toString());
        }
        if (query.from() != null) {
            body.put("prev_batch", query.from().toString());
        }
        if (query.recurse()) {
            body.put("recursion_depth", RECURSION_DEPTH);
        }
        return body;
    }

    private static SyncToken base(Query query) {
        return query.from() != null ? query.from() : SyncToken.START;
    }

    /** The event and the events relating to it, directly or through up to two more relations. */
    private Set<EventId> ancestors(RoomId roomId, EventId root, long upTo) {
        Set<EventId> all = new LinkedHashSet<>(List.of(root));
        List<EventId> level = List.of(root);
        for (int depth = 1; depth < RECURSION_DEPTH && !level.isEmpty(); depth++) {
            List<EventId> next = new ArrayList<>();
            for (Relation r : store.children(roomId, level, null, null, upTo, 0, Direction.BACKWARDS, MAX_LIMIT)) {
                EventId child = EventId.of(r.eventId());
                if (all.add(child)) {
                    next.add(child);
                }
            }
            level = next;
        }
        return all;
    }
}
