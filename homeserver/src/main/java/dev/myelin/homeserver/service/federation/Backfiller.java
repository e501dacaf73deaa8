package dev.myelin.homeserver.service.federation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.federation.auth.AuthException;
import dev.myelin.federation.auth.AuthRules;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.transport.FederationException;
import dev.myelin.homeserver.service.EventCache;
import dev.myelin.homeserver.service.room.LiveRoom;
import dev.myelin.homeserver.service.room.LiveRooms;
import dev.myelin.homeserver.service.room.Pagination;
import dev.myelin.homeserver.service.room.ReceivedEvents;
import dev.myelin.homeserver.storage.EventStore;
import dev.myelin.homeserver.storage.StoredEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Fetches a room's history from before this server joined when a user pages back past it
 * ({@code GET /backfill} on the room's other servers, in turn): the returned events are
 * checked (signatures, hashes, auth rules against their auth events) and added below the known
 * history.
 */
public final class Backfiller implements Pagination.Backfill {
    private static final Logger LOG = Logger.getLogger(Backfiller.class.getName());
    private static final int MIN_BATCH = 20;

    private final ServerName self;
    private final LiveRooms rooms;
    private final EventStore store;
    private final EventCache cache;
    private final FederationRequests remote;
    private final PduChecks checks;
    private final PduReceiver receiver;
    private final ReceivedEvents received;

    public Backfiller(ServerName self, LiveRooms rooms, EventStore store, EventCache cache, FederationRequests remote,
                      PduChecks checks, PduReceiver receiver, ReceivedEvents received) {
        this.self = self;
        this.rooms = rooms;
        this.store = store;
        this.cache = cache;
        this.remote = remote;
        this.checks = checks;
        this.receiver = receiver;
        this.received = received;
    }

    @Override
    public boolean fetchOlder(RoomId roomId, int limit) {
        LiveRoom room = rooms.get(roomId).orElse(null);
        Optional<StoredEvent> earliest = store.earliestEvent(roomId);
        if (room == null || earliest.isEmpty()) {
            return false;
        }
        List<EventId> missing = PduReceiver.missingPrevEvents(cache, earliest.get().pdu());
        if (missing.isEmpty()) {
            return false;
        }
        for (ServerName server : servers(room)) {
            try {
                JsonNode response = remote.backfill(server, roomId, missing, Math.max(limit, MIN_BATCH));
                List<Pdu> accepted = accepted(server, room, response);
                accepted.sort(Comparator.comparingLong(Pdu::depth).reversed());
                return received.backfilled(room, accepted, earliest.get().stateGroup()) > 0;
            } catch (FederationException e) {
                LOG.fine("backfill of " + roomId + " from " + server + " failed: " + e.getMessage());
            }
        }
        return false;
    }

    /** The events of a backfill response that pass the checks and the rules against their auth events. */
    private List<Pdu> accepted(ServerName server, LiveRoom room, JsonNode response) {
        List<Pdu> accepted = new ArrayList<>();
        for (JsonNode json : response.path("pdus")) {
            try {
                Pdu pdu = checks.check(json, room.version());
                if (!pdu.roomId().equals(room.roomId())) {
                    continue;
                }
                List<Pdu> authEvents = receiver.authEvents(server, room, pdu);
                AuthRules.check(pdu, AuthRules.checkAuthEvents(pdu, authEvents));
                accepted.add(pdu);
            } catch (PduChecks.InvalidPdu | AuthException | FederationException | IllegalArgumentException e) {
                LOG.fine("a backfilled event from " + server + " was refused: " + e.getMessage());
            }
        }
        return accepted;
    }

    /** The room's other servers, in name order. */
    private List<ServerName> servers(LiveRoom room) {
        return room.joined().stream().map(user -> user.server()).filter(server -> !server.equals(self)).distinct()
                .sorted(Comparator.comparing(ServerName::value)).toList();
    }
}
