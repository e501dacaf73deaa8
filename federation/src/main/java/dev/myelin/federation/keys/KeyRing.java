package dev.myelin.federation.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.crypto.Base64Unpadded;
import dev.myelin.federation.crypto.JsonSignatures;
import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.federation.id.ServerName;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The verify keys of other servers (server-server API, "Retrieving server keys"), cached in
 * memory. A missing key, or one not valid at the time asked for, is fetched from the server
 * itself, then through each trusted notary in turn. Thread-safe: at most one fetch per server is
 * in flight, and a server whose keys could not be had is not asked again for {@link #BACKOFF_MS}.
 *
 * <p>Validity follows the room versions 5+ rule: a current key serves signatures made up to the
 * document's {@code valid_until_ts}, capped at {@link #MAX_VALIDITY_MS} after we received it;
 * an old key serves signatures up to its {@code expired_ts}.
 */
public final class KeyRing {
    /** How long a server whose keys could not be fetched is left alone. */
    public static final long BACKOFF_MS = 60_000;
    /** The spec's cap on {@code valid_until_ts}: 7 days after the document was received. */
    public static final long MAX_VALIDITY_MS = 7L * 24 * 60 * 60 * 1000;
    /** How long our own key document says it is valid. */
    public static final long OWN_VALIDITY_MS = 24L * 60 * 60 * 1000;

    private record CachedKey(byte[] key, long validUntil, long documentValidUntil) {
    }

    private final ServerName self;
    private final SigningKey selfKey;
    private final List<OldVerifyKey> selfOldKeys;
    private final KeyFetcher fetcher;
    private final List<ServerName> notaries;
    private final Clock clock;
    private final Map<ServerName, Map<String, CachedKey>> keys = new ConcurrentHashMap<>();
    private final Map<ServerName, ServerKeys> documents = new ConcurrentHashMap<>();
    private final Map<ServerName, Long> backoffUntil = new ConcurrentHashMap<>();
    private final Map<ServerName, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

    public KeyRing(ServerName self, SigningKey selfKey, KeyFetcher fetcher, List<ServerName> notaries, Clock clock) {
        this(self, selfKey, List.of(), fetcher, notaries, clock);
    }

    /** As the other constructor, also knowing our own old keys (served and used for our old events). */
    public KeyRing(ServerName self, SigningKey selfKey, List<OldVerifyKey> selfOldKeys, KeyFetcher fetcher,
            List<ServerName> notaries, Clock clock) {
        this.self = self;
        this.selfKey = selfKey;
        this.selfOldKeys = List.copyOf(selfOldKeys);
        this.fetcher = fetcher;
        this.notaries = List.copyOf(notaries);
        this.clock = clock;
    }

    /**
     * The public key {@code keyId} of {@code server} if it may verify a signature made at
     * {@code validAtTs}, fetching keys when none such is cached. Empty when it cannot be had.
     */
    public Optional<byte[]> verifyKey(ServerName server, String keyId, long validAtTs) {
        return resolve(server, keyId, validAtTs, Set.of());
    }

    /**
     * The key documents to return, as a notary, for {@code POST /_matrix/key/v2/query} or
     * {@code GET /_matrix/key/v2/query/{serverName}}: our own document for ourselves, else the
     * latest document we hold for {@code server} (refetched when it expires before
     * {@code minimumValidUntilTs}, the caller passing "now" when the request has none), with
     * its origin's signatures and ours. Empty when we have never had one.
     */
    public List<ObjectNode> notaryResponse(ServerName server, long minimumValidUntilTs) {
        if (server.equals(self)) {
            return List.of(ownDocument());
        }
        BooleanSupplier fresh = () -> {
            ServerKeys d = documents.get(server);
            return d != null && d.validUntilTs() >= minimumValidUntilTs;
        };
        if (!fresh.getAsBoolean()) {
            fetch(server, minimumValidUntilTs, fresh, Set.of());
        }
        ServerKeys doc = documents.get(server);
        if (doc == null) {
            return List.of();
        }
        ObjectNode copy = doc.json();
        JsonNode origin = copy.path("signatures").path(server.value()).deepCopy();
        copy.putObject("signatures").set(server.value(), origin);
        return List.of(JsonSignatures.sign(copy, self.value(), selfKey));
    }

    /** Our own key document, as served at {@code GET /_matrix/key/v2/server}. */
    public ObjectNode ownDocument() {
        return ServerKeyDocument.build(self, selfKey, selfOldKeys, clock.millis() + OWN_VALIDITY_MS);
    }

    /**
     * Adds the keys of a verified document (from {@link ServerKeyDocument#verify}) to the cache.
     * For a key the cache already holds, the document with the later {@code valid_until_ts} wins.
     */
    public void remember(ServerKeys doc) {
        long cap = clock.millis() + MAX_VALIDITY_MS;
        long docUntil = doc.validUntilTs();
        keys.compute(doc.server(), (server, old) -> {
            Map<String, CachedKey> merged = old == null ? new ConcurrentHashMap<>() : new ConcurrentHashMap<>(old);
            doc.oldVerifyKeys().forEach((id, k) ->
                    put(merged, id, new CachedKey(k.key(), Math.min(k.expiredTs(), cap), docUntil)));
            doc.verifyKeys().forEach((id, k) ->
                    put(merged, id, new CachedKey(k.clone(), Math.min(docUntil, cap), docUntil)));
            return merged;
        });
        documents.merge(doc.server(), doc, (a, b) -> b.validUntilTs() >= a.validUntilTs() ? b : a);
    }

    private static void put(Map<String, CachedKey> map, String id, CachedKey key) {
        map.merge(id, key, (a, b) -> b.documentValidUntil() >= a.documentValidUntil() ? b : a);
    }

    private Optional<byte[]> cached(ServerName server, String keyId, long ts) {
        if (server.equals(self)) {
            return ownKey(keyId, ts);
        }
        CachedKey k = keys.getOrDefault(server, Map.of()).get(keyId);
        return k != null && ts <= k.validUntil() ? Optional.of(k.key().clone()) : Optional.empty();
    }

    private Optional<byte[]> ownKey(String keyId, long ts) {
        if (keyId.equals(selfKey.keyId())) {
            return Optional.of(selfKey.publicKey());
        }
        for (OldVerifyKey k : selfOldKeys) {
            if (k.keyId().equals(keyId) && ts <= k.expiredTs()) {
                return Optional.of(Base64Unpadded.decode(k.publicKeyBase64()));
            }
        }
        return Optional.empty();
    }

    /** {@code chain}: the servers whose fetch this call is already part of (never waited on). */
    private Optional<byte[]> resolve(ServerName server, String keyId, long ts, Set<ServerName> chain) {
        Optional<byte[]> key = cached(server, keyId, ts);
        if (key.isPresent() || server.equals(self) || chain.contains(server)) {
            return key;
        }
        fetch(server, ts, () -> cached(server, keyId, ts).isPresent(), chain);
        return cached(server, keyId, ts);
    }

    /**
     * Fetches {@code server}'s keys until {@code satisfied}: directly, then through each notary.
     * Joins a fetch already in flight instead (unless nested in another fetch, which must not
     * wait, lest two fetches wait on each other). Backs off when not satisfied in the end.
     */
    private void fetch(ServerName server, long ts, BooleanSupplier satisfied, Set<ServerName> chain) {
        Long until = backoffUntil.get(server);
        if (until != null && clock.millis() < until) {
            return;
        }
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> running = inFlight.putIfAbsent(server, mine);
        if (running != null) {
            if (chain.isEmpty()) {
                running.join();
            }
            return;
        }
        try {
            Set<ServerName> inner = new HashSet<>(chain);
            inner.add(server);
            fetchDirect(server);
            for (ServerName notary : notaries) {
                if (satisfied.getAsBoolean()) {
                    break;
                }
                if (!notary.equals(server) && !notary.equals(self) && !inner.contains(notary)) {
                    fetchThrough(notary, server, ts, inner);
                }
            }
            if (satisfied.getAsBoolean()) {
                backoffUntil.remove(server);
            } else {
                backoffUntil.put(server, clock.millis() + BACKOFF_MS);
            }
        } finally {
            inFlight.remove(server, mine);
            mine.complete(null);
        }
    }

    private void fetchDirect(ServerName server) {
        try {
            remember(ServerKeyDocument.verify(server, fetcher.fetchDirect(server)));
        } catch (RuntimeException e) {
            // unreachable, malformed or badly signed: try the notaries
        }
    }

    /** Queries a notary; keeps each returned document of {@code server} signed by both. */
    private void fetchThrough(ServerName notary, ServerName server, long ts, Set<ServerName> chain) {
        JsonNode list;
        try {
            list = fetcher.queryNotary(notary, server, ts).path("server_keys");
        } catch (RuntimeException e) {
            return;
        }
        for (JsonNode node : list) {
            if (!node.isObject() || !server.value().equals(node.path("server_name").textValue())) {
                continue;
            }
            ObjectNode doc = (ObjectNode) node;
            try {
                ServerKeys verified = ServerKeyDocument.verify(server, doc);
                if (signedByNotary(notary, doc, chain)) {
                    remember(verified);
                }
            } catch (KeyException e) {
                // a forged or malformed document: ignore it
            }
        }
    }

    private boolean signedByNotary(ServerName notary, ObjectNode doc, Set<ServerName> chain) {
        JsonNode sigs = doc.path("signatures").path(notary.value());
        List<String> keyIds = new ArrayList<>();
        sigs.fieldNames().forEachRemaining(keyIds::add);
        long now = clock.millis();
        for (String keyId : keyIds) {
            if (keyId.startsWith(SigningKey.ALGORITHM + ":")) {
                Optional<byte[]> key = resolve(notary, keyId, now, chain);
                if (key.isPresent() && JsonSignatures.verify(doc, notary.value(), keyId, key.get())) {
                    return true;
                }
            }
        }
        return false;
    }
}
