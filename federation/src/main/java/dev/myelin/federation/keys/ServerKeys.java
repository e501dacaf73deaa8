package dev.myelin.federation.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.ServerName;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A verified server key document ({@code GET /_matrix/key/v2/server}): the server's current
 * verify keys, valid until {@code validUntilTs}, and its old keys, each valid until its
 * {@code expired_ts}. Obtain one from {@link ServerKeyDocument#verify}; the maps are unmodifiable
 * and {@code json} is a private copy of the document as received.
 *
 * @param server the server the document belongs to
 * @param verifyKeys key ID to 32-byte Ed25519 public key
 * @param oldVerifyKeys key ID to old key
 * @param validUntilTs when the current keys must be refreshed (as published, not capped)
 * @param json the document as received, including its signatures
 */
public record ServerKeys(ServerName server, Map<String, byte[]> verifyKeys, Map<String, OldKey> oldVerifyKeys,
        long validUntilTs, ObjectNode json) {

    /** A key the server used to use, for events up to {@code expiredTs}. */
    public record OldKey(byte[] key, long expiredTs) {
        public OldKey {
            key = key.clone();
        }

        @Override
        public byte[] key() {
            return key.clone();
        }
    }

    public ServerKeys {
        verifyKeys = Collections.unmodifiableMap(copyKeys(verifyKeys));
        oldVerifyKeys = Collections.unmodifiableMap(new LinkedHashMap<>(oldVerifyKeys));
        json = json.deepCopy();
    }

    /** A copy of the document as received. */
    @Override
    public ObjectNode json() {
        return json.deepCopy();
    }

    /**
     * The key {@code keyId} if it may verify a signature made at {@code ts}: a current key up to
     * {@code validUntilTs}, an old key up to its {@code expired_ts} (both inclusive, as the
     * room versions' rule "valid_until_ts at least as large as origin_server_ts" reads).
     */
    public Optional<byte[]> keyValidAt(String keyId, long ts) {
        byte[] current = verifyKeys.get(keyId);
        if (current != null && ts <= validUntilTs) {
            return Optional.of(current.clone());
        }
        OldKey old = oldVerifyKeys.get(keyId);
        if (old != null && ts <= old.expiredTs()) {
            return Optional.of(old.key());
        }
        return Optional.empty();
    }

    private static Map<String, byte[]> copyKeys(Map<String, byte[]> keys) {
        Map<String, byte[]> copy = new LinkedHashMap<>();
        keys.forEach((id, key) -> copy.put(id, key.clone()));
        return copy;
    }
}
