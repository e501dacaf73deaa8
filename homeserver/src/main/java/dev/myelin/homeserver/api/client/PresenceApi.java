package dev.myelin.homeserver.api.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.ApiRoutes;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.MatrixRequest;
import dev.myelin.homeserver.service.ephemeral.PresenceService;
import java.util.Map;

/** A user's presence state and status message. */
public final class PresenceApi implements ClientApi {
    private final PresenceService presence;

    public PresenceApi(PresenceService presence) {
        this.presence = presence;
    }

    @Override
    public void register(ApiRoutes routes) {
        routes.get(V3 + "/presence/{userId}/status", request ->
                presence.get(request.requester().userId(), PathParams.userId(request)));
        routes.put(V3 + "/presence/{userId}/status", this::put);
    }

    /** PUT /_matrix/client/v3/presence/{userId}/status */
    private Object put(MatrixRequest request) {
        UserId user = PathParams.userId(request);
        if (!user.equals(request.requester().userId())) {
            throw MatrixException.forbidden("Cannot set the presence of another user");
        }
        ObjectNode body = request.body();
        JsonNode state = body.get("presence");
        if (state == null || state.isNull()) {
            throw MatrixException.missingParam("presence is required");
        }
        if (!state.isTextual()) {
            throw MatrixException.badJson("presence must be a string");
        }
        JsonNode message = body.get("status_msg");
        if (message != null && !message.isNull() && !message.isTextual()) {
            throw MatrixException.badJson("status_msg must be a string");
        }
        presence.set(user, state.asText(), message == null || message.isNull() ? null : message.asText());
        return Map.of();
    }
}
