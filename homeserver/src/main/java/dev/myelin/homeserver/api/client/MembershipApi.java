package dev.myelin.homeserver.api.client;

import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.ApiRoutes;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.MatrixRequest;
import dev.myelin.homeserver.service.room.MembershipService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Joining, leaving, inviting, kicking, banning and forgetting rooms. */
public final class MembershipApi implements ClientApi {
    private record RoomIdResponse(String roomId) {
    }

    private final MembershipService memberships;

    public MembershipApi(MembershipService memberships) {
        this.memberships = memberships;
    }

    /** The servers to join through: {@code via}, and the older {@code server_name}. */
    private static List<ServerName> via(MatrixRequest request) {
        List<ServerName> servers = new ArrayList<>();
        for (String name : request.queryAll("via")) {
            servers.add(serverName(name));
        }
        for (String name : request.queryAll("server_name")) {
            servers.add(serverName(name));
        }
        return servers;
    }

    private static ServerName serverName(String name) {
        if (!ServerName.isValid(name)) {
            throw MatrixException.invalidParam("Invalid server name: " + name);
        }
        return new ServerName(name);
    }

    @Override
    public void register(ApiRoutes routes) {
        routes.post(V3 + "/join/{roomIdOrAlias}", request -> new RoomIdResponse(memberships.join(
                request.requester(), request.pathParam("roomIdOrAlias"), reason(request), via(request)).value()));
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
