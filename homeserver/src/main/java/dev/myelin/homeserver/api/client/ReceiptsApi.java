package dev.myelin.homeserver.api.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.EventId;
import dev.myelin.homeserver.http.ApiRoutes;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.MatrixRequest;
import dev.myelin.homeserver.service.ephemeral.PresenceService;
import dev.myelin.homeserver.service.ephemeral.ReceiptService;
import java.util.Map;

/** Read receipts and the read marker of a room. */
public final class ReceiptsApi implements ClientApi {
    private final ReceiptService receipts;
    private final PresenceService presence;

    public ReceiptsApi(ReceiptService receipts, PresenceService presence) {
        this.receipts = receipts;
        this.presence = presence;
    }

    @Override
    public void register(ApiRoutes routes) {
        routes.post(V3 + "/rooms/{roomId}/receipt/{receiptType}/{eventId}", this::receipt);
        routes.post(V3 + "/rooms/{roomId}/read_markers", this::readMarkers);
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/receipt/{receiptType}/{eventId} */
    private Object receipt(MatrixRequest request) {
        var user = request.requester().userId();
        receipts.receipt(user, PathParams.roomId(request), request.pathParam("receiptType"),
                PathParams.eventId(request), request.body().get("thread_id"));
        presence.active(user);
        return Map.of();
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/read_markers */
    private Object readMarkers(MatrixRequest request) {
        var user = request.requester().userId();
        ObjectNode body = request.body();
        receipts.readMarkers(user, PathParams.roomId(request), eventId(body, ReceiptService.FULLY_READ),
                eventId(body, ReceiptService.READ), eventId(body, ReceiptService.READ_PRIVATE));
        presence.active(user);
        return Map.of();
    }

    private static EventId eventId(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw MatrixException.badJson(field + " must be an event ID");
        }
        try {
            return EventId.of(node.asText());
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("Invalid event ID in " + field + ": " + node.asText());
        }
    }
}
