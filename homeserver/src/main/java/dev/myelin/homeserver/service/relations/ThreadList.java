package dev.myelin.homeserver.service.relations;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.RoomId;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.Requester;
import dev.myelin.homeserver.service.EventCache;
import dev.myelin.homeserver.service.Streams;
import dev.myelin.homeserver.service.room.ClientEvents;
import dev.myelin.homeserver.service.room.Visibility;
import dev.myelin.homeserver.service.sync.SyncToken;
import dev.myelin.homeserver.storage.RelationStore;
import dev.myelin.homeserver.storage.RelationStore.ThreadRoot;
import dev.myelin.homeserver.storage.StoredEvent;
import java.util.List;

/**
 * {@code GET /_matrix/client/v1/rooms/{roomId}/threads}: a room's thread roots, the most recently
 * active thread first, each with its bundled aggregations; all threads or those the user took
 * part in. The pagination token is the stream position below the last thread's latest reply.
 */
public final class ThreadList {
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 100;

    private final RelationStore store;
    private final EventCache events;
    private final ClientEvents clientEvents;
    private final Visibility visibility;
    private final Streams streams;

    public ThreadList(RelationStore store, EventCache events, ClientEvents clientEvents, Visibility visibility,
                      Streams streams) {
        this.store = store;
        this.events = events;
        this.clientEvents = clientEvents;
        this.visibility = visibility;
        this.streams = streams;
    }

    /**
     * One page of threads.
     *
     * @param participated only the threads the requester started or replied to
     * @param from         a token from an earlier page, or null for the most recent threads
     * @param limit        at most this many threads, or null for the default
     */
    public ObjectNode page(Requester requester, RoomId roomId, boolean participated, SyncToken from, Long limit) {
        if (limit != null && limit <= 0) {
            throw MatrixException.invalidParam("limit must be greater than zero");
        }
        int pageSize = (int) Math.min(limit == null ? DEFAULT_LIMIT : limit, MAX_LIMIT);
        long upTo = Math.min(visibility.readableUpTo(requester.userId(), roomId), streams.roomEvents().current());
        long before = from == null ? upTo : Math.min(from.roomEvents(), upTo);
        List<ThreadRoot> threads = store.threads(roomId, before, participated ? requester.userId() : null, pageSize);
        List<StoredEvent> roots = visibility.visible(requester.userId(), roomId,
                events.getAll(threads.stream().map(ThreadRoot::root).toList()).stream()
                        .filter(e -> e.pdu().roomId().equals(roomId)).toList());
        ObjectNode body = Json.object();
        ArrayNode chunk = body.putArray("chunk");
        clientEvents.formatAll(roots, requester).forEach(chunk::add);
        if (!threads.isEmpty() && threads.size() == pageSize) {
            long next = threads.get(threads.size() - 1).latest() - 1;
            body.put("next_batch", (from != null ? from : SyncToken.START).withRoomEvents(next).toString());
        }
        return body;
    }
}
