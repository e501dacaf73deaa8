package dev.myelin.homeserver.service.room;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.UserId;

/**
 * A local event to create: who sends what, and the client transaction it came with.
 *
 * @param stateKey null for a message-like event
 * @param deviceId the sending device, if sent by a client
 * @param txnId    the client's transaction ID, if any
 * @param redacts  for m.room.redaction, the event to redact
 */
public record EventDraft(UserId sender, String type, String stateKey, ObjectNode content, String deviceId,
                         String txnId, EventId redacts) {

    public static EventDraft state(UserId sender, String type, String stateKey, ObjectNode content) {
        return new EventDraft(sender, type, stateKey, content, null, null, null);
    }

    public static EventDraft message(UserId sender, String type, ObjectNode content, String deviceId, String txnId) {
        return new EventDraft(sender, type, null, content, deviceId, txnId, null);
    }
}
