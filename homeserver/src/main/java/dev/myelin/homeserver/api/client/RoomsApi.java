package dev.myelin.homeserver.api.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.ApiRoutes;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixRequest;
import dev.myelin.homeserver.service.ephemeral.UserActivity;
import dev.myelin.homeserver.service.room.CreateRoomRequest;
import dev.myelin.homeserver.service.room.RoomCreator;
import dev.myelin.homeserver.service.room.RoomEvents;
import dev.myelin.homeserver.service.room.RoomQueries;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Creating rooms, sending events and reading room state. */
public final class RoomsApi implements ClientApi {
    private record RoomIdResponse(String roomId) {
    }

    private record EventIdResponse(String eventId) {
    }

    private record JoinedRooms(List<String> joinedRooms) {
    }

    private record Chunk(List<ObjectNode> chunk) {
    }

    private final RoomCreator creator;
    private final RoomEvents roomEvents;
    private final RoomQueries queries;
    private final UserActivity activity;

    public RoomsApi(RoomCreator creator, RoomEvents roomEvents, RoomQueries queries, UserActivity activity) {
        this.creator = creator;
        this.roomEvents = roomEvents;
        this.queries = queries;
        this.activity = activity;
    }

    @Override
    public void register(ApiRoutes routes) {
        routes.post(V3 + "/createRoom", request -> new RoomIdResponse(
                creator.create(request.requester(), request.body(CreateRoomRequest.class)).value()));
        routes.put(V3 + "/rooms/{roomId}/send/{eventType}/{txnId}", this::send);
        routes.put(V3 + "/rooms/{roomId}/state/{eventType}/{stateKey}", this::putState);
        routes.put(V3 + "/rooms/{roomId}/state/{eventType}/", this::putState);
        routes.put(V3 + "/rooms/{roomId}/state/{eventType}", this::putState);
        routes.get(V3 + "/rooms/{roomId}/state/{eventType}/{stateKey}", this::getState);
        routes.get(V3 + "/rooms/{roomId}/state/{eventType}/", this::getState);
        routes.get(V3 + "/rooms/{roomId}/state/{eventType}", this::getState);
        routes.get(V3 + "/rooms/{roomId}/state", request ->
                queries.state(request.requester(), PathParams.roomId(request)));
        routes.get(V3 + "/rooms/{roomId}/event/{eventId}", request ->
                queries.event(request.requester(), PathParams.roomId(request), PathParams.eventId(request)));
        routes.put(V3 + "/rooms/{roomId}/redact/{eventId}/{txnId}", this::redact);
        routes.get(V3 + "/joined_rooms", request -> new JoinedRooms(
                queries.joinedRooms(request.requester().userId()).stream().map(RoomId::value).toList()));
        routes.get(V3 + "/rooms/{roomId}/members", request -> new Chunk(queries.members(request.requester(),
                PathParams.roomId(request), request.query("membership").orElse(null),
                request.query("not_membership").orElse(null))));
        routes.get(V3 + "/rooms/{roomId}/joined_members", this::joinedMembers);
    }

    /** PUT /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId} */
    private Object send(MatrixRequest request) {
        RoomId roomId = PathParams.roomId(request);
        EventId id = roomEvents.send(request.requester(), roomId, request.pathParam("eventType"),
                request.pathParam("txnId"), request.body());
        activity.sentMessage(request.requester().userId(), roomId);
        return new EventIdResponse(id.value());
    }

    /** PUT /_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey} */
    private Object putState(MatrixRequest request) {
        String stateKey = request.pathParam("stateKey");
        EventId id = roomEvents.setState(request.requester(), PathParams.roomId(request),
                request.pathParam("eventType"), stateKey == null ? "" : stateKey, request.body());
        return new EventIdResponse(id.value());
    }

    /** GET /_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey} */
    private Object getState(MatrixRequest request) {
        String stateKey = request.pathParam("stateKey");
        return queries.stateContent(request.requester(), PathParams.roomId(request), request.pathParam("eventType"),
                stateKey == null ? "" : stateKey);
    }

    /** PUT /_matrix/client/v3/rooms/{roomId}/redact/{eventId}/{txnId} */
    private Object redact(MatrixRequest request) {
        ObjectNode content = Json.object();
        JsonNode reason = request.body().get("reason");
        if (reason != null && reason.isTextual()) {
            content.put("reason", reason.asText());
        }
        EventId id = roomEvents.redact(request.requester(), PathParams.roomId(request), PathParams.eventId(request),
                content, request.pathParam("txnId"));
        return new EventIdResponse(id.value());
    }

    /** GET /_matrix/client/v3/rooms/{roomId}/joined_members */
    private Object joinedMembers(MatrixRequest request) {
        Map<String, Object> joined = new LinkedHashMap<>();
        for (Map.Entry<UserId, Pdu> entry : queries.joinedMembers(request.requester(), PathParams.roomId(request)).entrySet()) {
            Map<String, Object> member = new LinkedHashMap<>();
            JsonNode content = entry.getValue() == null ? Json.object() : entry.getValue().content();
            if (content.path("displayname").isTextual()) {
                member.put("display_name", content.get("displayname").asText());
            }
            if (content.path("avatar_url").isTextual()) {
                member.put("avatar_url", content.get("avatar_url").asText());
            }
            joined.put(entry.getKey().value(), member);
        }
        return Map.of("joined", joined);
    }
}
