package dev.myelin.homeserver.service.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.Requester;
import dev.myelin.homeserver.service.EventCache;
import dev.myelin.homeserver.service.room.ClientEvents;
import dev.myelin.homeserver.service.room.RoomQueries;
import dev.myelin.homeserver.service.room.Visibility;
import dev.myelin.homeserver.storage.EventStore;
import dev.myelin.homeserver.storage.RoomStateStore;
import dev.myelin.homeserver.storage.RoomStateStore.MembershipRow;
import dev.myelin.homeserver.storage.SearchStore;
import dev.myelin.homeserver.storage.SearchStore.Hit;
import dev.myelin.homeserver.storage.SearchStore.Order;
import dev.myelin.homeserver.storage.SearchStore.RoomScope;
import dev.myelin.homeserver.storage.SearchTerms;
import dev.myelin.homeserver.storage.StoredEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /search}, category {@code room_events}: full-text search in the rooms the user is
 * in or has left (up to their departure), each result checked against history visibility, with
 * context, current state and groupings on request.
 */
public final class SearchService {
    private final SearchStore store;
    private final RoomStateStore roomStore;
    private final EventCache cache;
    private final ClientEvents clientEvents;
    private final Visibility visibility;
    private final RoomQueries queries;
    private final SearchContext context;

    private SearchService(SearchStore store, SearchContext context, RoomStateStore roomStore, EventCache cache,
                         ClientEvents clientEvents, Visibility visibility, RoomQueries queries) {
        this.store = store;
        this.context = context;
        this.roomStore = roomStore;
        this.cache = cache;
        this.clientEvents = clientEvents;
        this.visibility = visibility;
        this.queries = queries;
    }

    /** Builds the service with its context helper. */
    public static SearchService create(SearchStore store, EventStore events,
                                       RoomStateStore roomStore, EventCache cache, ClientEvents clientEvents,
                                       Visibility visibility, RoomQueries queries) {
        return new SearchService(store, new SearchContext(events, cache, roomStore, clientEvents, visibility),
                roomStore, cache, clientEvents, visibility, queries);
    }

    public ObjectNode search(Requester requester, JsonNode body, String nextBatch) {
        JsonNode categories = body.get("search_categories");
        if (categories == null || !categories.isObject()) {
            throw MatrixException.badJson("search_categories must be an object");
        }
        ObjectNode response = Json.object();
        ObjectNode out = response.putObject("search_categories");
        JsonNode roomEvents = categories.get("room_events");
        if (roomEvents != null && !roomEvents.isNull()) {
            out.set("room_events", roomEvents(requester, SearchCriteria.parse(roomEvents), nextBatch));
        }
        return response;
    }

    private ObjectNode roomEvents(Requester requester, SearchCriteria criteria, String nextBatch) {
        SearchBatch batch = nextBatch == null || nextBatch.isEmpty()
                ? SearchBatch.first(criteria.order()) : SearchBatch.parse(nextBatch, criteria.order());
        Map<RoomId, Long> scope = scope(requester, criteria);
        List<RoomScope> rooms = scope.entrySet().stream().map(e -> new RoomScope(e.getKey(), e.getValue())).toList();
        int limit = criteria.limit();
        SearchStore.Page page = store.search(new SearchStore.Query(criteria.term(), criteria.keys(), rooms,
                criteria.filter().query(), criteria.order(), limit,
                criteria.order() == Order.RECENT ? batch.value() : Long.MAX_VALUE,
                criteria.order() == Order.RANK ? (int) batch.value() : 0));

        ObjectNode result = Json.object();
        result.put("count", page.count());
        ArrayNode highlights = result.putArray("highlights");
        SearchTerms.words(criteria.term()).forEach(highlights::add);
        ArrayNode results = result.putArray("results");
        List<StoredEvent> shown = readable(requester, page.hits());
        Map<EventId, Double> ranks = new HashMap<>();
        page.hits().forEach(hit -> ranks.put(hit.eventId(), hit.rank()));
        for (StoredEvent event : shown) {
            ObjectNode item = results.addObject();
            item.put("rank", ranks.get(event.pdu().eventId()));
            item.set("result", clientEvents.format(event, requester));
            if (criteria.includeContext()) {
                item.set("context", context.around(requester, event, scope.get(event.pdu().roomId()), criteria));
            }
        }
        if (!page.hits().isEmpty() && page.hits().size() == limit) {
            Hit last = page.hits().get(page.hits().size() - 1);
            result.put("next_batch", (criteria.order() == Order.RANK
                    ? new SearchBatch(Order.RANK, batch.value() + limit)
                    : new SearchBatch(Order.RECENT, last.stream())).toString());
        }
        if (criteria.includeState()) {
            result.set("state", state(requester, shown));
        }
        if (!criteria.groupBy().isEmpty()) {
            result.set("groups", SearchGroups.of(criteria.groupBy(), shown));
        }
        return result;
    }

    /** Rooms the user is joined to (all of them) or has left (up to the departure), as the filter allows. */
    private Map<RoomId, Long> scope(Requester requester, SearchCriteria criteria) {
        Map<RoomId, Long> scope = new LinkedHashMap<>();
        for (MembershipRow row : roomStore.membershipsOf(requester.userId())) {
            if (!criteria.filter().allowsRoom(row.roomId())) {
                continue;
            }
            switch (row.membership()) {
                case "join" -> scope.put(row.roomId(), Long.MAX_VALUE);
                case "leave", "ban" -> scope.put(row.roomId(), row.stream());
                default -> { }
            }
        }
        return scope;
    }

    /** The hits' events, in hit order, without those history visibility hides from the user. */
    private List<StoredEvent> readable(Requester requester, List<Hit> hits) {
        List<StoredEvent> events = cache.getAll(hits.stream().map(Hit::eventId).toList());
        Map<RoomId, List<StoredEvent>> byRoom = new LinkedHashMap<>();
        events.forEach(e -> byRoom.computeIfAbsent(e.pdu().roomId(), r -> new ArrayList<>()).add(e));
        Set<EventId> allowed = new HashSet<>();
        byRoom.forEach((roomId, list) -> visibility.visible(requester.userId(), roomId, list)
                .forEach(e -> allowed.add(e.pdu().eventId())));
        return events.stream().filter(e -> e.redactedBy() == null && allowed.contains(e.pdu().eventId())).toList();
    }

    /** The state of each room with results, as the user may see it. */
    private ObjectNode state(Requester requester, List<StoredEvent> shown) {
        ObjectNode state = Json.object();
        for (StoredEvent event : shown) {
            RoomId roomId = event.pdu().roomId();
            if (!state.has(roomId.value())) {
                ArrayNode list = state.putArray(roomId.value());
                queries.state(requester, roomId).forEach(list::add);
            }
        }
        return state;
    }
}
