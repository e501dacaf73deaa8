package dev.myelin.homeserver.api.client;

import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.ApiRoutes;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.MatrixRequest;
import dev.myelin.homeserver.service.room.MembershipService;
import java.util.Map;

/** Joining, leaving, inviting, kicking, banning and forgetting rooms. */
public final class MembershipApi implements ClientApi {
    private record RoomIdResponse(String roomId) {
    }

    private final MembershipService memberships;

    public MembershipApi(MembershipService memberships) {
        this.memberships = memberships;
    }

    @Override
    public void register(ApiRoutes routes) {
        routes.post(V3 + "/join/{roomIdOrAlias}", request -> new RoomIdResponse(memberships.join(
                request.requester(), request.pathParam("roomIdOrAlias"), reason(request)).value()));
        routes.post(V3 + "/rooms/{roomId}/join", request -> new RoomIdResponse(memberships.join(
                request.requester(), PathParams.roomId(request).value(), reason(request)).value()));
        routes.post(V3 + "/rooms/{roomId}/invite", request -> {
            memberships.invite(request.requester(), PathParams.roomId(request), target(request), reason(request),
                    request.body().path("is_direct").asBoolean(false));
            return Map.of();
        });
        routes.post(V3 + "/rooms/{roomId}/leave", request -> {
            memberships.leave(request.requester(), PathParams.roomId(request), reason(request));
            return Map.of();
        });
        routes.post(V3 + "/rooms/{roomId}/forget", request -> {
            memberships.forget(request.requester(), PathParams.roomId(request));
            return Map.of();
        });
        routes.post(V3 + "/rooms/{roomId}/kick", request -> {
            memberships.kick(request.requester(), PathParams.roomId(request), target(request), reason(request));
            return Map.of();
        });
        routes.post(V3 + "/rooms/{roomId}/ban", request -> {
            memberships.ban(request.requester(), PathParams.roomId(request), target(request), reason(request));
            return Map.of();
        });
        routes.post(V3 + "/rooms/{roomId}/unban", request -> {
            memberships.unban(request.requester(), PathParams.roomId(request), target(request), reason(request));
            return Map.of();
        });
    }

    private static UserId target(MatrixRequest request) {
        var node = request.body().get("user_id");
        if (node == null || !node.isTextual()) {
            throw MatrixException.badJson("Missing user_id");
        }
        return PathParams.userId(node.asText());
    }

    private static String reason(MatrixRequest request) {
        var node = request.body().get("reason");
        return node != null && node.isTextual() ? node.asText() : null;
    }

}
