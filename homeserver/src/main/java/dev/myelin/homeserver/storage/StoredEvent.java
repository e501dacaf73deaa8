package dev.myelin.homeserver.storage;

import dev.myelin.federation.event.Pdu;

/**
 * An event as persisted: its position on the room event stream, the PDU, the state group after
 * it, and the local facts that never travel over federation.
 *
 * @param stream       position on the room event stream (total order of local persistence)
 * @param pdu          the event in federation format (its redacted form once redacted)
 * @param stateGroup   the room state after this event
 * @param prevStateId  for state events, the event it replaced in the room state, if any
 * @param senderDevice the device that sent it, for local senders
 * @param txnId        the client transaction ID it was sent with, if any
 * @param redactedBy   the ID of the redaction that redacted it, if any
 */
public record StoredEvent(long stream, Pdu pdu, long stateGroup, String prevStateId, String senderDevice,
                          String txnId, String redactedBy) {
}
