package dev.myelin.homeserver.service.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.event.PduFormatException;
import dev.myelin.federation.event.RoomVersion;
import dev.myelin.federation.keys.EventSignatureCheck;
import dev.myelin.federation.keys.KeyRing;
import dev.myelin.federation.keys.SignatureException;

/**
 * The checks every PDU received from another server passes before anything else looks at it
 * ("Checks performed on receipt of a PDU", steps 1-3): a valid event of its room version, signed
 * by the servers that must sign it, and with a content hash that matches, else redacted.
 */
public final class PduChecks {
    /** Why a PDU was refused. */
    public static final class InvalidPdu extends RuntimeException {
        public InvalidPdu(String message) {
            super(message);
        }
    }

    private final KeyRing keys;

    public PduChecks(KeyRing keys) {
        this.keys = keys;
    }

    /** A PDU's event ID, when its JSON is well-formed enough to compute one. */
    public static java.util.Optional<String> eventIdOf(JsonNode json, RoomVersion version) {
        if (!(json instanceof ObjectNode object)) {
            return java.util.Optional.empty();
        }
        try {
            ObjectNode copy = object.deepCopy();
            copy.remove("event_id");
            return java.util.Optional.of(dev.myelin.federation.event.EventIds.compute(copy, version).value());
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** The checked PDU; redacted when its content hash does not match. */
    public Pdu check(JsonNode json, RoomVersion version) {
        if (!(json instanceof ObjectNode object)) {
            throw new InvalidPdu("a PDU must be a JSON object");
        }
        Pdu pdu;
        try {
            pdu = Pdu.fromJson(object, version);
        } catch (PduFormatException | IllegalArgumentException e) {
            throw new InvalidPdu("invalid PDU: " + e.getMessage());
        }
        try {
            EventSignatureCheck.verify(pdu, keys);
        } catch (SignatureException e) {
            throw new InvalidPdu("bad signature: " + e.getMessage());
        }
        return pdu.contentHashMatches() ? pdu : pdu.redacted();
    }
}
