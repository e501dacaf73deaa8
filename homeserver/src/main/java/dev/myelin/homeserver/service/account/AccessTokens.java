package dev.myelin.homeserver.service.account;

import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.Authenticator;
import dev.myelin.homeserver.http.ErrCode;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.Requester;
import dev.myelin.homeserver.storage.DeviceStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues opaque access tokens and resolves them to requesters. Only SHA-256 hashes are stored;
 * resolved tokens are cached in memory and evicted on logout.
 */
public final class AccessTokens implements Authenticator {
    private static final int MAX_CACHED = 100_000;

    private final DeviceStore devices;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Requester> cache = new ConcurrentHashMap<>();

    public AccessTokens(DeviceStore devices) {
        this.devices = devices;
    }

    /** Creates a new access token for a device and returns it in clear. */
    public String issue(UserId userId, String deviceId) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = "myl_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        devices.addAccessToken(hash(token), userId, deviceId, System.currentTimeMillis());
        return token;
    }

    @Override
    public Requester authenticate(String accessToken) {
        String hash = hash(accessToken);
        Requester cached = cache.get(hash);
        if (cached != null) {
            return cached;
        }
        DeviceStore.TokenOwner owner = devices.accessTokenOwner(hash)
                .orElseThrow(() -> new MatrixException(ErrCode.M_UNKNOWN_TOKEN, "Unknown access token."));
        Requester requester = new Requester(owner.userId(), owner.deviceId(), hash);
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(hash, requester);
        return requester;
    }

    /** Forgets revoked tokens (their rows are already gone from the store). */
    public void evict(Collection<String> tokenHashes) {
        tokenHashes.forEach(cache::remove);
    }

    static String hash(String token) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
