package dev.myelin.federation.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.crypto.Base64Unpadded;
import dev.myelin.federation.crypto.JsonSignatures;
import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.federation.json.CanonicalJson;

/**
 * Hashing and signing of events (server-server API, "Signing events"): the content hash goes
 * into {@code hashes.sha256}, then the <em>redacted</em> event is signed and the signature is
 * copied onto the full event.
 */
public final class EventSigning {
    private EventSigning() {
    }

    /**
     * Returns a copy of {@code event} with its content hash set and signed by {@code entity}
     * (the origin server name) with {@code key}.
     */
    public static ObjectNode hashAndSign(ObjectNode event, RoomVersion v, String entity, SigningKey key) {
        ObjectNode copy = event.deepCopy();
        copy.putObject("hashes").put("sha256", ContentHash.compute(copy));
        signInPlace(copy, v, entity, key);
        return copy;
    }

    /**
     * Returns a copy of {@code event} with one more signature, leaving its hashes alone: for
     * co-signing an event another server built (invites, restricted joins).
     */
    public static ObjectNode addSignature(ObjectNode event, RoomVersion v, String entity, SigningKey key) {
        ObjectNode copy = event.deepCopy();
        signInPlace(copy, v, entity, key);
        return copy;
    }

    /** Whether {@code event} carries a valid signature by {@code entity}'s key {@code keyId}. */
    public static boolean verify(ObjectNode event, RoomVersion v, String entity, String keyId, byte[] publicKey) {
        JsonNode signature = event.path("signatures").path(entity).path(keyId);
        if (!signature.isTextual()) {
            return false;
        }
        try {
            return SigningKey.verify(publicKey, signedBytes(event, v), Base64Unpadded.decode(signature.textValue()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The bytes an event signature covers: the canonical JSON of the redacted event, unsigned. */
    public static byte[] signedBytes(ObjectNode event, RoomVersion v) {
        return CanonicalJson.encode(EventIds.referenceForm(Redaction.redact(event, v)));
    }

    /** Signs in place; returns the signed bytes, which are also the input of the reference hash. */
    static byte[] signInPlace(ObjectNode event, RoomVersion v, String entity, SigningKey key) {
        byte[] bytes = signedBytes(event, v);
        JsonSignatures.addSignature(event, entity, key.keyId(), Base64Unpadded.encode(key.sign(bytes)));
        return bytes;
    }
}
