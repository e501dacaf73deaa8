package dev.myelin.homeserver.service.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.ServerName;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.service.EventCache;
import dev.myelin.homeserver.service.room.LiveRoom;
import dev.myelin.homeserver.service.room.LiveRooms;
import dev.myelin.homeserver.service.room.ServerAcls;
import dev.myelin.homeserver.storage.RoomStateStore;
import dev.myelin.homeserver.storage.StoredEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What other servers may read of a room's history: one event, the state at an event (whole or
 * as IDs), an event's auth chain, backfill and missing events. Only servers with a member in the
 * room (or that once had one) and not denied by its ACL may read.
 */
public final class RoomHistoryServer {
    private static final int MAX_BACKFILL = 100;

    private final ServerName self;
    private final LiveRooms rooms;
    private final EventCache cache;
    private final RoomStateStore roomStore;
    private final ServerAcls acls;

    public RoomHistoryServer(ServerName self, LiveRooms rooms, EventCache cache, RoomStateStore roomStore,
                             ServerAcls acls) {
        this.self = self;
        this.rooms = rooms;
        this.cache = cache;
        this.roomStore = roomStore;
        this.acls = acls;
    }

    /** {@code GET /event/{eventId}}. */
    public ObjectNode event(ServerName origin, EventId eventId) {
        StoredEvent event = cache.get(eventId).orElseThrow(() -> MatrixException.notFound("Unknown event " + eventId));
        room(origin, event.pdu().roomId());
        return transaction(List.of(event.pdu()));
    }

    /** {@code GET /state/{roomId}?event_id=}: the state before the event and its auth chain. */
    public ObjectNode state(ServerName origin, RoomId roomId, EventId eventId) {
        List<Pdu> state = pdus(stateBefore(origin, roomId, eventId).values());
        ObjectNode response = Json.object();
        ArrayNode pdus = response.putArray("pdus");
        state.forEach(pdu -> pdus.add(pdu.json()));
        ArrayNode chain = response.putArray("auth_chain");
        authChain(state).forEach(pdu -> chain.add(pdu.json()));
        return response;
    }

    /** {@code GET /state_ids/{roomId}?event_id=}. */
    public ObjectNode stateIds(ServerName origin, RoomId roomId, EventId eventId) {
        Collection<EventId> ids = stateBefore(origin, roomId, eventId).values();
        ObjectNode response = Json.object();
        ArrayNode pduIds = response.putArray("pdu_ids");
        ids.forEach(id -> pduIds.add(id.value()));
        ArrayNode chain = response.putArray("auth_chain_ids");
        authChain(pdus(ids)).forEach(pdu -> chain.add(pdu.eventId().value()));
        return response;
    }

    /** {@code GET /event_auth/{roomId}/{eventId}}. */
    public ObjectNode eventAuth(ServerName origin, RoomId roomId, EventId eventId) {
        room(origin, roomId);
        StoredEvent event = inRoom(roomId, eventId);
        ObjectNode response = Json.object();
        ArrayNode chain = response.putArray("auth_chain");
        authChain(List.of(event.pdu())).forEach(pdu -> chain.add(pdu.json()));
        return response;
    }

    /** {@code GET /backfill/{roomId}?v=&limit=}: the given events and their ancestors, newest first. */
    public ObjectNode backfill(ServerName origin, RoomId roomId, List<EventId> from, int limit) {
        if (from.isEmpty()) {
            throw MatrixException.missingParam("v is required: the events to backfill from");
        }
        room(origin, roomId);
        int max = Math.max(1, Math.min(limit, MAX_BACKFILL));
        List<Pdu> found = walkBack(from, Set.of(), max);
        found.sort(Comparator.comparingLong(Pdu::depth).reversed());
        return transaction(found);
    }

    /** {@code POST /get_missing_events/{roomId}}: ancestors of latest_events not reaching earliest_events. */
    public ObjectNode missingEvents(ServerName origin, RoomId roomId, JsonNode body) {
        room(origin, roomId);
        List<EventId> latest = ids(body.path("latest_events"));
        Set<EventId> earliest = new HashSet<>(ids(body.path("earliest_events")));
        int limit = (int) Math.max(1, Math.min(body.path("limit").asLong(10), MAX_BACKFILL));
        long minDepth = body.path("min_depth").asLong(0);
        List<EventId> parents = new ArrayList<>();
        for (StoredEvent event : cache.getAll(latest)) {
            parents.addAll(event.pdu().prevEventIds());
        }
        List<Pdu> found = walkBack(parents, earliest, limit);
        found.removeIf(pdu -> pdu.depth() < minDepth);
        found.sort(Comparator.comparingLong(Pdu::depth));
        ObjectNode response = Json.object();
        ArrayNode events = response.putArray("events");
        found.forEach(pdu -> events.add(pdu.json()));
        return response;
    }

    /** Breadth-first through prev_events from {@code start}, stopping at {@code stop}, up to {@code limit} events. */
    private List<Pdu> walkBack(List<EventId> start, Set<EventId> stop, int limit) {
        List<Pdu> found = new ArrayList<>();
        Set<EventId> seen = new HashSet<>(stop);
        Deque<EventId> queue = new ArrayDeque<>(start);
        while (!queue.isEmpty() && found.size() < limit) {
            EventId id = queue.poll();
            if (!seen.add(id)) {
                continue;
            }
            cache.get(id).filter(e -> e.stream() != 0).ifPresent(event -> {
                found.add(event.pdu());
                queue.addAll(event.pdu().prevEventIds());
            });
        }
        return found;
    }

    private Map<StateKey, EventId> stateBefore(ServerName origin, RoomId roomId, EventId eventId) {
        room(origin, roomId);
        return stateBefore(roomId, eventId);
    }

    /** The room state just before one of its timeline events: its state group without its own entry. */
    Map<StateKey, EventId> stateBefore(RoomId roomId, EventId eventId) {
        StoredEvent event = inRoom(roomId, eventId);
        if (event.stream() == 0) {
            throw MatrixException.notFound("No state is known at event " + eventId);
        }
        Map<StateKey, EventId> state = new HashMap<>(roomStore.stateOfGroup(event.stateGroup()));
        Pdu pdu = event.pdu();
        if (pdu.isState()) {
            // The group is the state after the event; before it, the key held what the event replaced.
            if (event.prevStateId() != null) {
                state.put(StateKey.of(pdu), EventId.of(event.prevStateId()));
            } else {
                state.remove(StateKey.of(pdu));
            }
        }
        return state;
    }

    private StoredEvent inRoom(RoomId roomId, EventId eventId) {
        return cache.get(eventId).filter(e -> e.pdu().roomId().equals(roomId))
                .orElseThrow(() -> MatrixException.notFound("Unknown event " + eventId + " in " + roomId));
    }

    /** Every event in the auth chains of the given events, each once. */
    List<Pdu> authChain(Collection<Pdu> events) {
        Set<EventId> seen = new HashSet<>();
        List<Pdu> chain = new ArrayList<>();
        List<EventId> frontier = new ArrayList<>();
        events.forEach(e -> frontier.addAll(e.authEventIds()));
        while (!frontier.isEmpty()) {
            List<EventId> wanted = frontier.stream().filter(seen::add).toList();
            frontier.clear();
            for (StoredEvent event : cache.getAll(wanted)) {
                chain.add(event.pdu());
                frontier.addAll(event.pdu().authEventIds());
            }
        }
        return chain;
    }

    List<Pdu> pdus(Collection<EventId> ids) {
        return cache.getAll(ids).stream().map(StoredEvent::pdu).toList();
    }

    private LiveRoom room(ServerName origin, RoomId roomId) {
        LiveRoom room = rooms.get(roomId).filter(r -> !r.state().isEmpty())
                .orElseThrow(() -> MatrixException.notFound("This server is not in room " + roomId));
        if (!acls.isAllowed(roomId, origin)) {
            throw MatrixException.forbidden("Your server is denied by the room's server ACL");
        }
        boolean member = room.state().entrySet().stream().anyMatch(entry ->
                entry.getKey().type().equals(StateKey.MEMBER) && entry.getKey().stateKey().endsWith(":" + origin.value()));
        if (!member) {
            throw MatrixException.forbidden("Your server has no member in room " + roomId);
        }
        return room;
    }

    private ObjectNode transaction(List<Pdu> pdus) {
        ObjectNode response = Json.object();
        response.put("origin", self.value());
        response.put("origin_server_ts", System.currentTimeMillis());
        ArrayNode array = response.putArray("pdus");
        pdus.forEach(pdu -> array.add(pdu.json()));
        return response;
    }

    private static List<EventId> ids(JsonNode array) {
        List<EventId> ids = new ArrayList<>();
        for (JsonNode id : array) {
            try {
                ids.add(EventId.of(id.asText()));
            } catch (IllegalArgumentException e) {
                throw MatrixException.invalidParam("Invalid event ID: " + id);
            }
        }
        return ids;
    }
}
