package dev.myelin.homeserver.api.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.homeserver.http.ApiRoutes;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.service.ephemeral.ToDeviceMessages;
import java.util.Map;

/** Send-to-device messaging. */
public final class ToDeviceApi implements ClientApi {
    private final ToDeviceMessages messages;

    public ToDeviceApi(ToDeviceMessages messages) {
        this.messages = messages;
    }

    @Override
    public void register(ApiRoutes routes) {
        // PUT /_matrix/client/v3/sendToDevice/{eventType}/{txnId}
        routes.put(V3 + "/sendToDevice/{eventType}/{txnId}", request -> {
            JsonNode body = request.body().get("messages");
            if (body == null) {
                throw MatrixException.badJson("messages is required");
            }
            messages.send(request.requester(), request.pathParam("eventType"), request.pathParam("txnId"), body);
            return Map.of();
        });
    }
}
