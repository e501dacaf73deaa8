package dev.myelin.federation.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.crypto.Base64Unpadded;
import dev.myelin.federation.crypto.JsonSignatures;
import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.federation.id.ServerName;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server key document of {@code GET /_matrix/key/v2/server} (server-server API,
 * "Publishing Keys"): building our own, and verifying one received from another server directly
 * or through a notary.
 */
public final class ServerKeyDocument {
    private static final String ED25519_PREFIX = SigningKey.ALGORITHM + ":";
    private static final int ED25519_KEY_BYTES = 32;

    private ServerKeyDocument() {
    }

    /**
     * The body of {@code GET /_matrix/key/v2/server}: {@code server_name}, {@code verify_keys}
     * holding {@code current}, {@code old_verify_keys} and {@code valid_until_ts}, signed by
     * {@code current}.
     */
    public static ObjectNode build(ServerName server, SigningKey current, List<OldVerifyKey> oldKeys,
            long validUntilTs) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("server_name", server.value());
        doc.putObject("verify_keys").putObject(current.keyId()).put("key", current.publicKeyBase64());
        ObjectNode old = doc.putObject("old_verify_keys");
        for (OldVerifyKey k : oldKeys) {
            old.putObject(k.keyId()).put("key", k.publicKeyBase64()).put("expired_ts", k.expiredTs());
        }
        doc.put("valid_until_ts", validUntilTs);
        return JsonSignatures.sign(doc, server.value(), current);
    }

    /**
     * Parses and checks a key document: {@code server_name} must be {@code expectedServer}, and
     * the document must carry a valid signature by each of its Ed25519 {@code verify_keys} (the
     * spec's "signatures ... signed using the verify_keys"; at least one such key is required).
     * Keys of other algorithms are ignored. Signatures of other entities (notaries) are not checked.
     *
     * @throws KeyException when the document is malformed, names another server or is not signed
     */
    public static ServerKeys verify(ServerName expectedServer, ObjectNode body) {
        if (body == null) {
            throw new KeyException("no key document from " + expectedServer);
        }
        JsonNode name = body.get("server_name");
        if (name == null || !name.isTextual() || !name.textValue().equals(expectedServer.value())) {
            throw new KeyException("key document for " + expectedServer + " names server_name " + name);
        }
        Map<String, byte[]> verifyKeys = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object(body, "verify_keys", expectedServer).properties()) {
            if (e.getKey().startsWith(ED25519_PREFIX)) {
                verifyKeys.put(e.getKey(), key(e.getValue(), e.getKey(), expectedServer));
            }
        }
        if (verifyKeys.isEmpty()) {
            throw new KeyException("key document of " + expectedServer + " has no ed25519 verify_keys");
        }
        Map<String, ServerKeys.OldKey> oldKeys = new LinkedHashMap<>();
        JsonNode old = body.get("old_verify_keys");
        if (old != null && !old.isNull()) {
            for (Map.Entry<String, JsonNode> e : object(body, "old_verify_keys", expectedServer).properties()) {
                if (e.getKey().startsWith(ED25519_PREFIX)) {
                    long expired = integer(e.getValue().get("expired_ts"), "expired_ts of " + e.getKey(), expectedServer);
                    oldKeys.put(e.getKey(), new ServerKeys.OldKey(key(e.getValue(), e.getKey(), expectedServer), expired));
                }
            }
        }
        long validUntil = integer(body.get("valid_until_ts"), "valid_until_ts", expectedServer);
        for (Map.Entry<String, byte[]> k : verifyKeys.entrySet()) {
            if (!JsonSignatures.verify(body, expectedServer.value(), k.getKey(), k.getValue())) {
                throw new KeyException("key document of " + expectedServer + " is not validly signed by its key "
                        + k.getKey());
            }
        }
        return new ServerKeys(expectedServer, verifyKeys, oldKeys, validUntil, body);
    }

    private static ObjectNode object(ObjectNode body, String field, ServerName server) {
        JsonNode node = body.get(field);
        if (node == null || !node.isObject()) {
            throw new KeyException("key document of " + server + ": " + field + " is not an object");
        }
        return (ObjectNode) node;
    }

    private static byte[] key(JsonNode entry, String keyId, ServerName server) {
        JsonNode key = entry == null ? null : entry.get("key");
        if (key == null || !key.isTextual()) {
            throw new KeyException("key document of " + server + ": key " + keyId + " has no 'key' string");
        }
        byte[] bytes;
        try {
            bytes = Base64Unpadded.decode(key.textValue());
        } catch (IllegalArgumentException e) {
            throw new KeyException("key document of " + server + ": key " + keyId + " is not base64", e);
        }
        if (bytes.length != ED25519_KEY_BYTES) {
            throw new KeyException("key document of " + server + ": key " + keyId + " is not 32 bytes");
        }
        return bytes;
    }

    private static long integer(JsonNode node, String what, ServerName server) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new KeyException("key document of " + server + ": " + what + " is not an integer");
        }
        return node.longValue();
    }
}
