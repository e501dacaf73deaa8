package dev.myelin.homeserver.service.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.auth.AuthException;
import dev.myelin.federation.auth.AuthRules;
import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.event.RoomVersion;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import dev.myelin.federation.transport.FederationException;
import dev.myelin.homeserver.http.ErrCode;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.service.room.ReceivedEvents;
import dev.myelin.homeserver.service.room.RemoteEventWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Logger;

/**
 * Joins a local user to a room this server is not in ("Joining Rooms"): {@code make_join} on a
 * resident server, the join event completed and signed here, {@code send_join}, then every event
 * of the returned state and auth chain checked (signatures, hashes, the authorization rules
 * against its own auth events) before the room is stored with the join on top of that state.
 */
public final class RemoteJoiner {
    private static final Logger LOG = Logger.getLogger(RemoteJoiner.class.getName());
    private static final List<String> VERSIONS = List.of(RoomVersion.V10.id(), RoomVersion.V11.id());

    private final ServerName self;
    private final SigningKey signingKey;
    private final FederationRequests remote;
    private final PduChecks checks;
    private final RemoteEventWriter writer;
    private final ReceivedEvents received;

    public RemoteJoiner(ServerName self, SigningKey signingKey, FederationRequests remote, PduChecks checks,
                        RemoteEventWriter writer, ReceivedEvents received) {
        this.self = self;
        this.signingKey = signingKey;
        this.remote = remote;
        this.checks = checks;
        this.writer = writer;
        this.received = received;
    }

    /** Joins through the first of the servers that answers; {@code content} is the join's content. */
    public void join(UserId user, RoomId roomId, List<ServerName> servers, ObjectNode content) {
        MatrixException last = MatrixException.notFound("No server could be reached to join " + roomId);
        for (ServerName server : new LinkedHashSet<>(servers)) {
            if (server.equals(self)) {
                continue;
            }
            try {
                joinVia(server, user, roomId, content);
                return;
            } catch (FederationException e) {
                LOG.fine("joining " + roomId + " via " + server + " failed: " + e.getMessage());
                last = e.status() == 403
                        ? MatrixException.forbidden("Cannot join " + roomId + ": " + e.getMessage())
                        : MatrixException.notFound("Cannot join " + roomId + " via " + server + ": " + e.getMessage());
            }
        }
        throw last;
    }

    private void joinVia(ServerName server, UserId user, RoomId roomId, ObjectNode content) {
        JsonNode template = remote.makeJoin(server, roomId, user, VERSIONS);
        RoomVersion version = RoomVersion.byId(template.path("room_version").asText("1"))
                .filter(RoomVersion::supported)
                .orElseThrow(() -> new MatrixException(ErrCode.M_UNSUPPORTED_ROOM_VERSION,
                        "The room's version is not supported by this server"));
        Pdu join = completeJoin(template.path("event"), version, user, roomId, content);
        JsonNode response = remote.sendJoin(server, roomId, join.eventId(), join.json(), false);
        if (response.path("event").isObject()) {
            join = checks.check(response.path("event"), version);
        }
        Map<EventId, Pdu> events = verified(response, version);
        List<Pdu> accepted = authorised(events);
        received.outliers(accepted);
        Map<StateKey, EventId> state = new HashMap<>();
        for (JsonNode json : response.path("state")) {
            EventId id = PduChecks.eventIdOf(json, version).map(EventId::of).orElse(null);
            Pdu event = id == null ? null : events.get(id);
            if (event != null && event.isState() && accepted.contains(event)) {
                state.put(StateKey.of(event), event.eventId());
            }
        }
        try {
            writer.join(join, new RemoteEventWriter.StateBefore(state));
        } catch (AuthException e) {
            throw MatrixException.forbidden("The room's state does not allow the join: " + e.getMessage());
        }
    }

    private Pdu completeJoin(JsonNode template, RoomVersion version, UserId user, RoomId roomId, ObjectNode content) {
        ObjectNode joinContent = content.deepCopy();
        JsonNode authorisedVia = template.path("content").path("join_authorised_via_users_server");
        if (authorisedVia.isTextual()) {
            joinContent.set("join_authorised_via_users_server", authorisedVia);
        }
        joinContent.put("membership", "join");
        return MembershipTemplate.complete(template, version, roomId, user, joinContent, self, signingKey);
    }

    /** Every event of the state and auth chain that passes the signature and hash checks, in parallel. */
    private Map<EventId, Pdu> verified(JsonNode response, RoomVersion version) {
        // The state and the auth chain overlap (members' joins are in both): check each event once.
        // Its content hash covers everything but signatures, so it tells the copies apart.
        List<JsonNode> all = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String part : List.of("state", "auth_chain")) {
            for (JsonNode json : response.path(part)) {
                String hash = json.path("hashes").path("sha256").asText("");
                if (hash.isEmpty() || seen.add(hash + json.path("signatures"))) {
                    all.add(json);
                }
            }
        }
        Map<EventId, Pdu> events = new HashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            int batch = Math.max(1, all.size() / (Runtime.getRuntime().availableProcessors() * 4) + 1);
            List<Future<List<Pdu>>> batches = new ArrayList<>();
            for (int i = 0; i < all.size(); i += batch) {
                List<JsonNode> slice = all.subList(i, Math.min(all.size(), i + batch));
                batches.add(pool.submit(() -> {
                    List<Pdu> ok = new ArrayList<>();
                    for (JsonNode json : slice) {
                        try {
                            ok.add(checks.check(json, version));
                        } catch (PduChecks.InvalidPdu e) {
                            LOG.fine("send_join returned an invalid event: " + e.getMessage());
                        }
                    }
                    return ok;
                }));
            }
            for (Future<List<Pdu>> future : batches) {
                future.get().forEach(pdu -> events.put(pdu.eventId(), pdu));
            }
        } catch (Exception e) {
            throw new IllegalStateException("checking the room's events failed", e);
        }
        return events;
    }

    /**
     * The events whose auth events are all present and accepted and that pass the rules against
     * them, each after its auth events (depth order, repeated while events become decidable).
     */
    private static List<Pdu> authorised(Map<EventId, Pdu> events) {
        List<Pdu> pending = new ArrayList<>(events.values());
        pending.sort(Comparator.comparingLong(Pdu::depth).thenComparing(e -> e.eventId().value()));
        Map<EventId, Pdu> accepted = new HashMap<>();
        java.util.Set<EventId> rejected = new java.util.HashSet<>();
        List<Pdu> result = new ArrayList<>();
        boolean progress = true;
        while (progress && !pending.isEmpty()) {
            progress = false;
            List<Pdu> undecided = new ArrayList<>();
            for (Pdu event : pending) {
                if (event.authEventIds().stream().anyMatch(id -> rejected.contains(id) || !events.containsKey(id))) {
                    rejected.add(event.eventId());
                    progress = true;
                    continue;
                }
                if (!event.authEventIds().stream().allMatch(accepted::containsKey)) {
                    undecided.add(event);
                    continue;
                }
                progress = true;
                try {
                    List<Pdu> authEvents = event.authEventIds().stream().map(accepted::get).toList();
                    AuthRules.check(event, AuthRules.checkAuthEvents(event, authEvents));
                    accepted.put(event.eventId(), event);
                    result.add(event);
                } catch (AuthException e) {
                    rejected.add(event.eventId());
                    LOG.fine("send_join returned an unauthorised event " + event.eventId() + ": " + e.getMessage());
                }
            }
            pending = undecided;
        }
        return result;
    }
}
