package dev.myelin.federation.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.json.CanonicalJson;
import java.util.Map;

/**
 * Signing and verifying JSON objects (server-server API, "Signing JSON"): the signature covers
 * the canonical JSON of the object without its {@code signatures} and {@code unsigned} keys and
 * is stored as {@code signatures.<entity>.<key ID>} in unpadded base64.
 */
public final class JsonSignatures {
    private JsonSignatures() {
    }

    /** The bytes a signature covers: canonical JSON without {@code signatures} and {@code unsigned}. */
    public static byte[] signedBytes(ObjectNode json) {
        return CanonicalJson.encode(withoutSignaturesAndUnsigned(json));
    }

    /**
     * Returns a copy of {@code json} with {@code signatures.<entity>.<keyId>} added; other
     * signatures already present are kept.
     *
     * @throws IllegalArgumentException if the object is not valid canonical JSON
     */
    public static ObjectNode sign(ObjectNode json, String entity, SigningKey key) {
        String signature = Base64Unpadded.encode(key.sign(signedBytes(json)));
        ObjectNode copy = json.deepCopy();
        addSignature(copy, entity, key.keyId(), signature);
        return copy;
    }

    /** Adds one signature to {@code json} in place, creating the {@code signatures} objects as needed. */
    public static void addSignature(ObjectNode json, String entity, String keyId, String signatureBase64) {
        JsonNode existing = json.get("signatures");
        ObjectNode signatures;
        if (existing == null || existing.isNull()) {
            signatures = json.putObject("signatures");
        } else if (existing.isObject()) {
            signatures = (ObjectNode) existing;
        } else {
            throw new IllegalArgumentException("'signatures' is not an object");
        }
        JsonNode forEntity = signatures.get(entity);
        if (forEntity == null || !forEntity.isObject()) {
            forEntity = signatures.putObject(entity);
        }
        ((ObjectNode) forEntity).put(keyId, signatureBase64);
    }

    /**
     * Whether {@code json} carries a valid signature {@code signatures.<entity>.<keyId>} by
     * {@code publicKey}. Returns false (never throws) when the signature is missing or malformed
     * or the object is not valid canonical JSON.
     */
    public static boolean verify(ObjectNode json, String entity, String keyId, byte[] publicKey) {
        JsonNode signature = json.path("signatures").path(entity).path(keyId);
        if (!signature.isTextual()) {
            return false;
        }
        try {
            byte[] sig = Base64Unpadded.decode(signature.textValue());
            return SigningKey.verify(publicKey, signedBytes(json), sig);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A shallow copy of the object without {@code signatures} and {@code unsigned}, for encoding only. */
    static ObjectNode withoutSignaturesAndUnsigned(ObjectNode json) {
        ObjectNode stripped = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> e : json.properties()) {
            String k = e.getKey();
            if (!k.equals("signatures") && !k.equals("unsigned")) {
                stripped.set(k, e.getValue());
            }
        }
        return stripped;
    }
}
