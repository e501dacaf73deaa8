package dev.myelin.homeserver.service.federation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.federation.auth.AuthException;
import dev.myelin.federation.auth.AuthRules;
import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.ServerName;
import dev.myelin.homeserver.service.EventCache;
import dev.myelin.homeserver.service.room.LiveRoom;
import dev.myelin.homeserver.service.room.LiveRooms;
import dev.myelin.homeserver.service.room.ReceivedEvents;
import dev.myelin.homeserver.service.room.RemoteEventWriter;
import dev.myelin.homeserver.service.room.ServerAcls;
import dev.myelin.homeserver.storage.StoredEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Receives PDUs from other servers ("Checks performed on receipt of a PDU"): format, signatures
 * and hash ({@link PduChecks}), server ACL, auth events (fetched when missing) and the rules
 * against them; missing prev_events are fetched with {@code get_missing_events}, and where a
 * gap remains the state before the event is asked of the sender ({@code state_ids}). The
 * {@link RemoteEventWriter} then checks it against the state before it and the current state and
 * adds it to the room.
 */
public final class PduReceiver {
    private static final Logger LOG = Logger.getLogger(PduReceiver.class.getName());
    /** How many missing events one get_missing_events asks for. */
    private static final int MISSING_EVENTS_LIMIT = 20;

    private final LiveRooms rooms;
    private final RemoteEventWriter writer;
    private final ReceivedEvents received;
    private final PduChecks checks;
    private final EventCache cache;
    private final FederationRequests remote;
    private final ServerAcls acls;

    public PduReceiver(LiveRooms rooms, RemoteEventWriter writer, ReceivedEvents received, PduChecks checks,
                       EventCache cache, FederationRequests remote, ServerAcls acls) {
        this.rooms = rooms;
        this.writer = writer;
        this.received = received;
        this.checks = checks;
        this.cache = cache;
        this.remote = remote;
        this.acls = acls;
    }

    /** What became of one PDU of a transaction: its event ID (as far as it has one) and any error. */
    public record Result(String eventId, Optional<String> error) {
    }

    /** Receives one PDU of a transaction. */
    public Result receive(ServerName origin, JsonNode json) {
        String eventId = json.path("event_id").asText("");
        try {
            RoomId roomId = RoomId.of(json.path("room_id").asText(""));
            LiveRoom room = rooms.get(roomId).filter(r -> !r.state().isEmpty())
                    .orElseThrow(() -> new PduChecks.InvalidPdu("this server is not in room " + roomId));
            eventId = PduChecks.eventIdOf(json, room.version()).orElse(eventId);
            if (!acls.isAllowed(roomId, origin)) {
                return new Result(eventId, Optional.of("server " + origin + " is denied by the room's server ACL"));
            }
            Pdu pdu = checks.check(json, room.version());
            if (!acls.isAllowed(roomId, pdu.sender().server())) {
                return new Result(eventId, Optional.of("the sender's server is denied by the room's server ACL"));
            }
            process(origin, room, pdu, true);
            return new Result(eventId, Optional.empty());
        } catch (PduChecks.InvalidPdu | AuthException | IllegalArgumentException e) {
            return new Result(eventId, Optional.of(e.getMessage()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "failed to process a PDU from " + origin, e);
            return new Result(eventId, Optional.of("failed to process the PDU: " + e.getMessage()));
        }
    }

    private void process(ServerName origin, LiveRoom room, Pdu pdu, boolean fetchMissing) {
        Optional<StoredEvent> known = cache.get(pdu.eventId());
        if (known.isPresent() && known.get().stream() != 0) {
            return;
        }
        List<Pdu> authEvents = authEvents(origin, room, pdu);
        AuthRules.check(pdu, AuthRules.checkAuthEvents(pdu, authEvents));
        List<EventId> missing = missingPrevEvents(pdu);
        if (!missing.isEmpty() && fetchMissing) {
            fetchMissing(origin, room, pdu);
            missing = missingPrevEvents(pdu);
        }
        Optional<RemoteEventWriter.StateBefore> given = Optional.empty();
        if (!missing.isEmpty()) {
            given = Optional.of(stateBefore(origin, room, pdu));
        }
        if (writer.write(room, pdu, given) == RemoteEventWriter.Outcome.SOFT_FAILED) {
            received.outliers(List.of(pdu));
        }
    }

    /** The event's auth events, those this server lacks fetched from the origin and checked. */
    List<Pdu> authEvents(ServerName origin, LiveRoom room, Pdu pdu) {
        List<Pdu> found = new ArrayList<>();
        Map<EventId, Boolean> have = new HashMap<>();
        cache.getAll(pdu.authEventIds()).forEach(e -> {
            found.add(e.pdu());
            have.put(e.pdu().eventId(), true);
        });
        List<Pdu> fetched = new ArrayList<>();
        for (EventId id : pdu.authEventIds()) {
            if (!have.containsKey(id)) {
                Pdu event = checks.check(remote.event(origin, id), room.version());
                if (!event.eventId().equals(id)) {
                    throw new PduChecks.InvalidPdu(origin + " answered " + id + " with another event");
                }
                fetched.add(event);
            }
        }
        received.outliers(fetched);
        found.addAll(fetched);
        return found;
    }

    private List<EventId> missingPrevEvents(Pdu pdu) {
        return missingPrevEvents(cache, pdu);
    }

    /** The event's prev_events that are not in the room's timeline here (unknown, or only outliers). */
    static List<EventId> missingPrevEvents(EventCache cache, Pdu pdu) {
        Map<EventId, StoredEvent> known = new HashMap<>();
        cache.getAll(pdu.prevEventIds()).forEach(e -> known.put(e.pdu().eventId(), e));
        return pdu.prevEventIds().stream().filter(id -> known.get(id) == null || known.get(id).stream() == 0).toList();
    }

    /** Asks the origin for the events between the room's extremities and this one, and receives them oldest first. */
    private void fetchMissing(ServerName origin, LiveRoom room, Pdu pdu) {
        JsonNode response;
        try {
            response = remote.missingEvents(origin, room.roomId(), room.extremities(), List.of(pdu.eventId()),
                    MISSING_EVENTS_LIMIT, 0);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "get_missing_events from " + origin + " failed", e);
            return;
        }
        List<Pdu> events = new ArrayList<>();
        for (JsonNode json : response.path("events")) {
            try {
                events.add(checks.check(json, room.version()));
            } catch (PduChecks.InvalidPdu e) {
                LOG.fine("skipping a missing event from " + origin + ": " + e.getMessage());
            }
        }
        events.sort(Comparator.comparingLong(Pdu::depth).thenComparing(e -> e.eventId().value()));
        for (Pdu event : events) {
            try {
                process(origin, room, event, false);
            } catch (AuthException | PduChecks.InvalidPdu | IllegalStateException e) {
                LOG.fine("missing event " + event.eventId() + " rejected: " + e.getMessage());
            }
        }
    }

    /** Above this many unknown state events, the whole state is fetched at once ({@code /state}). */
    private static final int FETCH_ONE_BY_ONE = 10;

    /** The state before an event whose prev_events stay missing, as the origin sees it. */
    private RemoteEventWriter.StateBefore stateBefore(ServerName origin, LiveRoom room, Pdu pdu) {
        JsonNode response = remote.stateIds(origin, room.roomId(), pdu.eventId());
        List<EventId> ids = new ArrayList<>();
        response.path("pdu_ids").forEach(id -> ids.add(EventId.of(id.asText())));
        Map<EventId, Pdu> events = new HashMap<>();
        cache.getAll(ids).forEach(e -> events.put(e.pdu().eventId(), e.pdu()));
        List<EventId> unknown = ids.stream().filter(id -> !events.containsKey(id)).toList();
        List<Pdu> fetched = new ArrayList<>();
        if (unknown.size() > FETCH_ONE_BY_ONE) {
            JsonNode state = remote.state(origin, room.roomId(), pdu.eventId());
            java.util.Set<EventId> wanted = new java.util.HashSet<>(unknown);
            for (JsonNode json : state.path("pdus")) {
                Pdu event = checks.check(json, room.version());
                if (wanted.contains(event.eventId())) {
                    events.put(event.eventId(), event);
                    fetched.add(event);
                }
            }
        } else {
            for (EventId id : unknown) {
                Pdu event = checks.check(remote.event(origin, id), room.version());
                events.put(id, event);
                fetched.add(event);
            }
        }
        received.outliers(fetched);
        Map<StateKey, EventId> state = new HashMap<>();
        for (Pdu event : events.values()) {
            if (event.isState()) {
                state.put(StateKey.of(event), event.eventId());
            }
        }
        return new RemoteEventWriter.StateBefore(state);
    }
}
