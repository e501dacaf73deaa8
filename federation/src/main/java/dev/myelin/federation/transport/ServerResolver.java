package dev.myelin.federation.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.json.CanonicalJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server discovery, "Resolving server names" in the spec's order: an IP literal with its port
 * or 8448; a hostname with an explicit port; else {@code /.well-known/matrix/server}, whose
 * {@code m.server} delegated name goes through IP literal, explicit port, SRV
 * {@code _matrix-fed._tcp}, deprecated SRV {@code _matrix._tcp} and port 8448; without a valid
 * well-known the same SRV steps and port 8448 apply to the hostname itself.
 *
 * <p>Well-known responses are cached as their {@code Cache-Control max-age} or {@code Expires}
 * say, 24 hours by default, at most 48 hours and at least 5 minutes; errors and invalid
 * responses are cached for 1 hour. SRV answers are cached for 10 minutes. Thread-safe.
 */
public final class ServerResolver {
    /** The port when nothing names one. */
    public static final int DEFAULT_PORT = 8448;
    static final Duration DEFAULT_TTL = Duration.ofHours(24);
    static final Duration MAX_TTL = Duration.ofHours(48);
    static final Duration MIN_TTL = Duration.ofMinutes(5);
    static final Duration ERROR_TTL = Duration.ofHours(1);
    static final Duration SRV_TTL = Duration.ofMinutes(10);
    private static final int MAX_CACHE_ENTRIES = 10_000;
    private static final Comparator<SrvRecord> SRV_ORDER =
            Comparator.comparingInt(SrvRecord::priority).thenComparing(SrvRecord::weight, Comparator.reverseOrder());

    private final WellKnownFetcher wellKnown;
    private final SrvLookup srv;
    private final Clock clock;
    private final Map<String, Cached<String>> wellKnownCache = new ConcurrentHashMap<>();
    private final Map<String, Cached<List<SrvRecord>>> srvCache = new ConcurrentHashMap<>();

    private record Cached<T>(T value, Instant expires) {
    }

    public ServerResolver(WellKnownFetcher wellKnown, SrvLookup srv, Clock clock) {
        this.wellKnown = wellKnown;
        this.srv = srv;
        this.clock = clock;
    }

    /** The resolver over real DNS (JNDI) and HTTPS well-known fetches under {@code policy}. */
    public static ServerResolver create(AddressPolicy policy, boolean verifyTls, Duration timeout) {
        return new ServerResolver(new HttpWellKnownFetcher(policy, verifyTls, timeout), new JndiSrvLookup(),
                Clock.systemUTC());
    }

    /**
     * Resolves a server name. Never fails for a valid name: the last resort is the hostname
     * on port 8448.
     *
     * @throws IllegalArgumentException when the server name's port is out of range
     */
    public ResolvedServer resolve(ServerName name) {
        HostPort hp = HostPort.parse(name.value());
        if (hp.ipLiteral()) {
            return new ResolvedServer(hp.host(), hp.portOr(DEFAULT_PORT), name.value(), hp.bareHost());
        }
        if (hp.port() > 0) {
            return new ResolvedServer(hp.host(), hp.port(), name.value(), hp.host());
        }
        String delegated = delegatedName(hp.host());
        if (delegated != null) {
            HostPort d = HostPort.parse(delegated);
            if (d.ipLiteral()) {
                return new ResolvedServer(d.host(), d.portOr(DEFAULT_PORT), delegated, d.bareHost());
            }
            if (d.port() > 0) {
                return new ResolvedServer(d.host(), d.port(), delegated, d.host());
            }
            return viaSrv(d.host());
        }
        return viaSrv(hp.host());
    }

    private ResolvedServer viaSrv(String hostname) {
        for (String prefix : new String[] {"_matrix-fed._tcp.", "_matrix._tcp."}) {
            SrvRecord best = srvRecords(prefix + hostname).stream()
                    .filter(r -> r.port() > 0 && r.port() <= 65535 && !r.target().isEmpty() && !r.target().equals("."))
                    .min(SRV_ORDER).orElse(null);
            if (best != null) {
                return new ResolvedServer(best.target(), best.port(), hostname, hostname);
            }
        }
        return new ResolvedServer(hostname, DEFAULT_PORT, hostname, hostname);
    }

    private List<SrvRecord> srvRecords(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        Cached<List<SrvRecord>> cached = srvCache.get(key);
        if (cached != null && now.isBefore(cached.expires())) {
            return cached.value();
        }
        List<SrvRecord> records;
        try {
            records = List.copyOf(srv.lookup(name));
        } catch (RuntimeException e) {
            records = List.of();
        }
        put(srvCache, key, new Cached<>(records, now.plus(SRV_TTL)), now);
        return records;
    }

    /** The valid {@code m.server} of the hostname's well-known, or null; cached. */
    private String delegatedName(String hostname) {
        String key = hostname.toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        Cached<String> cached = wellKnownCache.get(key);
        if (cached != null && now.isBefore(cached.expires())) {
            return cached.value();
        }
        Cached<String> fresh = fetchWellKnown(hostname, now);
        put(wellKnownCache, key, fresh, now);
        return fresh.value();
    }

    private Cached<String> fetchWellKnown(String hostname, Instant now) {
        Cached<String> error = new Cached<>(null, now.plus(ERROR_TTL));
        WellKnownFetcher.Response response;
        try {
            response = wellKnown.fetch(hostname);
        } catch (Exception e) {
            return error;
        }
        if (response == null || response.status() != 200 || response.body() == null) {
            return error;
        }
        JsonNode server;
        try {
            server = CanonicalJson.mapper().readTree(response.body()).path("m.server");
        } catch (Exception e) {
            return error;
        }
        if (!server.isTextual() || !ServerName.isValid(server.asText())) {
            return error;
        }
        try {
            HostPort.parse(server.asText());
        } catch (IllegalArgumentException e) {
            return error;
        }
        return new Cached<>(server.asText(), now.plus(ttl(response, now)));
    }

    /** How long a successful well-known response may be cached. */
    static Duration ttl(WellKnownFetcher.Response response, Instant now) {
        Duration ttl = null;
        if (response.cacheControl() != null) {
            for (String directive : response.cacheControl().toLowerCase(Locale.ROOT).split(",")) {
                String d = directive.strip();
                if (d.equals("no-store") || d.equals("no-cache")) {
                    ttl = Duration.ZERO;
                    break;
                }
                if (d.startsWith("max-age=")) {
                    try {
                        ttl = Duration.ofSeconds(Long.parseLong(d.substring(8).replace("\"", "").strip()));
                    } catch (NumberFormatException ignored) {
                        // a malformed max-age says nothing
                    }
                }
            }
        }
        if (ttl == null && response.expires() != null) {
            try {
                ZonedDateTime expires = ZonedDateTime.parse(response.expires().strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
                ttl = Duration.between(now, expires.toInstant());
            } catch (RuntimeException e) {
                ttl = Duration.ZERO; // an invalid Expires means already expired
            }
        }
        if (ttl == null) {
            ttl = DEFAULT_TTL;
        }
        return ttl.compareTo(MIN_TTL) < 0 ? MIN_TTL : ttl.compareTo(MAX_TTL) > 0 ? MAX_TTL : ttl;
    }

    private static <T> void put(Map<String, Cached<T>> cache, String key, Cached<T> value, Instant now) {
        if (cache.size() >= MAX_CACHE_ENTRIES) {
            cache.values().removeIf(c -> !now.isBefore(c.expires()));
            if (cache.size() >= MAX_CACHE_ENTRIES) {
                cache.clear();
            }
        }
        cache.put(key, value);
    }
}
