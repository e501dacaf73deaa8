package dev.myelin.federation.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.crypto.Base64Unpadded;
import dev.myelin.federation.json.CanonicalJson;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * The content hash of an event (server-server API, "Calculating the content hash for an
 * event"): SHA-256 of the canonical JSON of the event without {@code unsigned},
 * {@code signatures} and {@code hashes}, stored as {@code hashes.sha256} in unpadded base64.
 */
public final class ContentHash {
    private ContentHash() {
    }

    /** The unpadded base64 SHA-256 content hash of an event. */
    public static String compute(ObjectNode event) {
        return Base64Unpadded.encode(sha256(CanonicalJson.encode(stripForHash(event))));
    }

    /** Whether the event's {@code hashes.sha256} matches its content; false when absent or invalid. */
    public static boolean matches(ObjectNode event) {
        JsonNode claimed = event.path("hashes").path("sha256");
        if (!claimed.isTextual()) {
            return false;
        }
        try {
            byte[] expected = sha256(CanonicalJson.encode(stripForHash(event)));
            return MessageDigest.isEqual(expected, Base64Unpadded.decode(claimed.textValue()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static ObjectNode stripForHash(ObjectNode event) {
        ObjectNode stripped = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> e : event.properties()) {
            String k = e.getKey();
            if (!k.equals("unsigned") && !k.equals("signatures") && !k.equals("hashes")) {
                stripped.set(k, e.getValue());
            }
        }
        return stripped;
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
