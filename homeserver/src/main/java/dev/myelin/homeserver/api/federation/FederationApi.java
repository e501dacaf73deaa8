package dev.myelin.homeserver.api.federation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomAlias;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.api.client.ClientApi;
import dev.myelin.homeserver.api.client.PathParams;
import dev.myelin.homeserver.http.ApiRoutes;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.MatrixRequest;
import dev.myelin.homeserver.service.federation.FederationQueries;
import dev.myelin.homeserver.service.federation.InviteReceiver;
import dev.myelin.homeserver.service.federation.ResidentMembership;
import dev.myelin.homeserver.service.federation.RoomHistoryServer;
import dev.myelin.homeserver.service.federation.TransactionReceiver;
import java.util.ArrayList;
import java.util.List;

/** The Server-Server API's endpoints, each authenticated by {@link OriginAuthentication}. */
public final class FederationApi implements ClientApi {
    private static final String V1 = "/_matrix/federation/v1";
    private static final String V2 = "/_matrix/federation/v2";

    private final OriginAuthentication auth;
    private final TransactionReceiver transactions;
    private final ResidentMembership membership;
    private final InviteReceiver invites;
    private final RoomHistoryServer history;
    private final FederationQueries queries;

    public FederationApi(OriginAuthentication auth, TransactionReceiver transactions, ResidentMembership membership,
                         InviteReceiver invites, RoomHistoryServer history, FederationQueries queries) {
        this.auth = auth;
        this.transactions = transactions;
        this.membership = membership;
        this.invites = invites;
        this.history = history;
        this.queries = queries;
    }

    @Override
    public void register(ApiRoutes routes) {
        // GET /_matrix/federation/v1/version
        routes.get(V1 + "/version", request -> Json.object().set("server",
                Json.object().put("name", "Myelin").put("version", "0.1.0")));
        // PUT /_matrix/federation/v1/send/{txnId}
        routes.put(V1 + "/send/{txnId}", request -> transactions.receive(auth.origin(request),
                request.pathParam("txnId"), request.body()));
        // GET /_matrix/federation/v1/make_join/{roomId}/{userId}
        routes.get(V1 + "/make_join/{roomId}/{userId}", request -> membership.make(auth.origin(request),
                PathParams.roomId(request), PathParams.userId(request), "join", versions(request)));
        // PUT /_matrix/federation/v2/send_join/{roomId}/{eventId}
        routes.put(V2 + "/send_join/{roomId}/{eventId}", request -> membership.sendJoin(auth.origin(request),
                PathParams.roomId(request), PathParams.eventId(request), request.body(),
                request.queryBoolean("omit_members", false)));
        // GET /_matrix/federation/v1/make_leave/{roomId}/{userId}
        routes.get(V1 + "/make_leave/{roomId}/{userId}", request -> membership.make(auth.origin(request),
                PathParams.roomId(request), PathParams.userId(request), "leave", null));
        // PUT /_matrix/federation/v2/send_leave/{roomId}/{eventId}
        routes.put(V2 + "/send_leave/{roomId}/{eventId}", request -> membership.sendLeave(auth.origin(request),
                PathParams.roomId(request), PathParams.eventId(request), request.body()));
        // PUT /_matrix/federation/v2/invite/{roomId}/{eventId}
        routes.put(V2 + "/invite/{roomId}/{eventId}", request -> invites.invite(auth.origin(request),
                PathParams.roomId(request), PathParams.eventId(request), request.body()));
        // GET /_matrix/federation/v1/event/{eventId}
        routes.get(V1 + "/event/{eventId}", request -> history.event(auth.origin(request), PathParams.eventId(request)));
        // GET /_matrix/federation/v1/state/{roomId}
        routes.get(V1 + "/state/{roomId}", request -> history.state(auth.origin(request), PathParams.roomId(request),
                eventIdQuery(request)));
        // GET /_matrix/federation/v1/state_ids/{roomId}
        routes.get(V1 + "/state_ids/{roomId}", request -> history.stateIds(auth.origin(request),
                PathParams.roomId(request), eventIdQuery(request)));
        // GET /_matrix/federation/v1/event_auth/{roomId}/{eventId}
        routes.get(V1 + "/event_auth/{roomId}/{eventId}", request -> history.eventAuth(auth.origin(request),
                PathParams.roomId(request), PathParams.eventId(request)));
        // GET /_matrix/federation/v1/backfill/{roomId}
        routes.get(V1 + "/backfill/{roomId}", request -> history.backfill(auth.origin(request),
                PathParams.roomId(request), eventIds(request.queryAll("v")), (int) request.queryLong("limit", 10)));
        // POST /_matrix/federation/v1/get_missing_events/{roomId}
        routes.post(V1 + "/get_missing_events/{roomId}", request -> history.missingEvents(auth.origin(request),
                PathParams.roomId(request), request.body()));
        // GET /_matrix/federation/v1/query/profile
        routes.get(V1 + "/query/profile", request -> queries.profile(auth.origin(request),
                PathParams.userId(request.query("user_id").orElseThrow(
                        () -> MatrixException.missingParam("user_id is required"))),
                request.query("field").orElse(null)));
        // GET /_matrix/federation/v1/query/directory
        routes.get(V1 + "/query/directory", request -> queries.directory(auth.origin(request), alias(request)));
        // GET /_matrix/federation/v1/user/devices/{userId}
        routes.get(V1 + "/user/devices/{userId}", request -> queries.devices(auth.origin(request),
                PathParams.userId(request)));
        // POST /_matrix/federation/v1/user/keys/query and /user/keys/claim
        routes.post(V1 + "/user/keys/query", request -> queries.deviceKeys(auth.origin(request), request.body()));
        routes.post(V1 + "/user/keys/claim", request -> queries.claimKeys(auth.origin(request), request.body()));
        // GET and POST /_matrix/federation/v1/publicRooms
        routes.get(V1 + "/publicRooms", request -> queries.publicRooms(auth.origin(request), request, false));
        routes.post(V1 + "/publicRooms", request -> queries.publicRooms(auth.origin(request), request, true));
    }

    private static List<String> versions(MatrixRequest request) {
        List<String> ver = request.queryAll("ver");
        return ver.isEmpty() ? List.of("1") : ver;
    }

    private static EventId eventIdQuery(MatrixRequest request) {
        return eventIds(List.of(request.query("event_id")
                .orElseThrow(() -> MatrixException.missingParam("event_id is required")))).get(0);
    }

    private static List<EventId> eventIds(List<String> values) {
        List<EventId> ids = new ArrayList<>();
        for (String value : values) {
            try {
                ids.add(EventId.of(value));
            } catch (IllegalArgumentException e) {
                throw MatrixException.invalidParam("Invalid event ID: " + value);
            }
        }
        return ids;
    }

    private static RoomAlias alias(MatrixRequest request) {
        String value = request.query("room_alias").orElseThrow(() -> MatrixException.missingParam("room_alias is required"));
        try {
            return RoomAlias.of(value);
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("Invalid room alias: " + value);
        }
    }
}
