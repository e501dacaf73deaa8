package dev.myelin.federation.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.crypto.Base64Unpadded;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.json.CanonicalJson;
import java.util.Map;

/**
 * Event IDs from the reference hash (room versions 3+): redact the event, drop
 * {@code signatures} and {@code unsigned}, take the SHA-256 of the canonical JSON and write it
 * as {@code $} + unpadded base64 (URL-safe from room version 4).
 */
public final class EventIds {
    private EventIds() {
    }

    /**
     * The event ID of a PDU.
     *
     * @throws IllegalArgumentException for room versions 1 and 2, whose event IDs are not derived,
     *     or when the event is not valid canonical JSON
     */
    public static EventId compute(ObjectNode pdu, RoomVersion v) {
        return fromReferenceHash(referenceHash(pdu, v), v);
    }

    /** The SHA-256 reference hash of an event. */
    public static byte[] referenceHash(ObjectNode pdu, RoomVersion v) {
        return ContentHash.sha256(CanonicalJson.encode(referenceForm(Redaction.redact(pdu, v))));
    }

    /** Writes a reference hash as an event ID in the format of room version {@code v}. */
    public static EventId fromReferenceHash(byte[] hash, RoomVersion v) {
        if (v.serverGeneratedEventIds()) {
            throw new IllegalArgumentException("room version " + v.id() + " does not derive event IDs from hashes");
        }
        return new EventId("$" + (v.urlSafeEventIds() ? Base64Unpadded.encodeUrlSafe(hash) : Base64Unpadded.encode(hash)));
    }

    /** The redacted event without {@code signatures} and {@code unsigned} (a shallow copy). */
    static ObjectNode referenceForm(ObjectNode redacted) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> e : redacted.properties()) {
            if (!e.getKey().equals("signatures") && !e.getKey().equals("unsigned")) {
                out.set(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
