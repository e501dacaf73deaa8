package dev.myelin.homeserver.api.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.ApiRoutes;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.MatrixRequest;
import dev.myelin.homeserver.service.ephemeral.PresenceService;
import dev.myelin.homeserver.service.ephemeral.TypingService;
import java.util.Map;

/** Typing notices. */
public final class TypingApi implements ClientApi {
    private final TypingService typing;
    private final PresenceService presence;

    public TypingApi(TypingService typing, PresenceService presence) {
        this.typing = typing;
        this.presence = presence;
    }

    @Override
    public void register(ApiRoutes routes) {
        routes.put(V3 + "/rooms/{roomId}/typing/{userId}", this::typing);
    }

    /** PUT /_matrix/client/v3/rooms/{roomId}/typing/{userId} */
    private Object typing(MatrixRequest request) {
        UserId user = PathParams.userId(request);
        if (!user.equals(request.requester().userId())) {
            throw MatrixException.forbidden("Cannot set the typing state of another user");
        }
        ObjectNode body = request.body();
        JsonNode typingNode = body.get("typing");
        if (typingNode == null || !typingNode.isBoolean()) {
            throw MatrixException.badJson("typing must be true or false");
        }
        JsonNode timeoutNode = body.get("timeout");
        if (timeoutNode != null && !timeoutNode.isNull() && !timeoutNode.isIntegralNumber()) {
            throw MatrixException.badJson("timeout must be an integer");
        }
        Long timeout = timeoutNode == null || timeoutNode.isNull() ? null : timeoutNode.asLong();
        typing.set(user, PathParams.roomId(request), typingNode.booleanValue(), timeout);
        if (typingNode.booleanValue()) {
            presence.active(user);
        }
        return Map.of();
    }
}
