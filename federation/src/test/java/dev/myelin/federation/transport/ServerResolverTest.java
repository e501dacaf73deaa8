package dev.myelin.federation.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.myelin.federation.id.ServerName;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerResolverTest {
    /** A clock the test moves by hand. */
    static final class HandClock extends Clock {
        Instant now = Instant.parse("2024-05-01T12:00:00Z");

        @Override public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    private final HandClock clock = new HandClock();
    private final Map<String, WellKnownFetcher.Response> wellKnowns = new HashMap<>();
    private final Map<String, List<SrvRecord>> srv = new HashMap<>();
    private final List<String> fetched = new ArrayList<>();
    private final List<String> srvAsked = new ArrayList<>();
    private final ServerResolver resolver = new ServerResolver(host -> {
        fetched.add(host);
        WellKnownFetcher.Response r = wellKnowns.get(host);
        if (r == null) {
            throw new IOException("connection refused");
        }
        return r;
    }, name -> {
        srvAsked.add(name);
        return srv.getOrDefault(name, List.of());
    }, clock);

    private static WellKnownFetcher.Response ok(String mServer) {
        return new WellKnownFetcher.Response(200, "{\"m.server\":\"" + mServer + "\"}", null, null);
    }

    private ResolvedServer resolve(String name) {
        return resolver.resolve(ServerName.of(name));
    }

    @Test
    void ipLiteralsUseTheirPortOr8448WithoutLookups() {
        assertEquals(new ResolvedServer("1.2.3.4", 8448, "1.2.3.4", "1.2.3.4"), resolve("1.2.3.4"));
        assertEquals(new ResolvedServer("1.2.3.4", 443, "1.2.3.4:443", "1.2.3.4"), resolve("1.2.3.4:443"));
        assertEquals(new ResolvedServer("[2001:db8::1]", 8448, "[2001:db8::1]", "2001:db8::1"), resolve("[2001:db8::1]"));
        assertEquals(new ResolvedServer("[::1]", 80, "[::1]:80", "::1"), resolve("[::1]:80"));
        assertEquals(List.of(), fetched);
        assertEquals(List.of(), srvAsked);
    }

    @Test
    void hostnameWithExplicitPortIsUsedDirectly() {
        assertEquals(new ResolvedServer("example.com", 8000, "example.com:8000", "example.com"), resolve("example.com:8000"));
        assertEquals(List.of(), fetched);
        assertEquals(List.of(), srvAsked);
    }

    @Test
    void badPortIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> resolve("example.com:99999"));
        assertThrows(IllegalArgumentException.class, () -> resolve("example.com:0"));
    }

    @Test
    void delegatedIpLiteral() {
        wellKnowns.put("example.com", ok("5.6.7.8"));
        assertEquals(new ResolvedServer("5.6.7.8", 8448, "5.6.7.8", "5.6.7.8"), resolve("example.com"));
        wellKnowns.put("ipv6.example", ok("[2001:db8::2]:9000"));
        assertEquals(new ResolvedServer("[2001:db8::2]", 9000, "[2001:db8::2]:9000", "2001:db8::2"), resolve("ipv6.example"));
        assertEquals(List.of(), srvAsked);
    }

    @Test
    void delegatedHostnameWithPort() {
        wellKnowns.put("example.com", ok("matrix.example.com:1234"));
        assertEquals(new ResolvedServer("matrix.example.com", 1234, "matrix.example.com:1234", "matrix.example.com"),
                resolve("example.com"));
        assertEquals(List.of(), srvAsked);
    }

    @Test
    void delegatedHostnameUsesMatrixFedSrvFirst() {
        wellKnowns.put("example.com", ok("matrix.example.com"));
        srv.put("_matrix-fed._tcp.matrix.example.com", List.of(new SrvRecord(10, 5, 8449, "backup.example.net"),
                new SrvRecord(5, 1, 8448, "low.example.net"), new SrvRecord(5, 10, 443, "heavy.example.net")));
        srv.put("_matrix._tcp.matrix.example.com", List.of(new SrvRecord(0, 0, 1, "old.example.net")));
        assertEquals(new ResolvedServer("heavy.example.net", 443, "matrix.example.com", "matrix.example.com"),
                resolve("example.com"));
        assertEquals(List.of("_matrix-fed._tcp.matrix.example.com"), srvAsked);
    }

    @Test
    void delegatedHostnameFallsBackToDeprecatedSrvThen8448() {
        wellKnowns.put("example.com", ok("matrix.example.com"));
        srv.put("_matrix._tcp.matrix.example.com", List.of(new SrvRecord(0, 0, 8000, "old.example.net")));
        assertEquals(new ResolvedServer("old.example.net", 8000, "matrix.example.com", "matrix.example.com"),
                resolve("example.com"));
        wellKnowns.put("other.com", ok("m.other.com"));
        assertEquals(new ResolvedServer("m.other.com", 8448, "m.other.com", "m.other.com"), resolve("other.com"));
        assertEquals(List.of("_matrix-fed._tcp.matrix.example.com", "_matrix._tcp.matrix.example.com",
                "_matrix-fed._tcp.m.other.com", "_matrix._tcp.m.other.com"), srvAsked);
    }

    @Test
    void withoutWellKnownTheHostnameGoesThroughSrvThen8448() {
        srv.put("_matrix-fed._tcp.a.com", List.of(new SrvRecord(0, 0, 443, "fed.a.com")));
        assertEquals(new ResolvedServer("fed.a.com", 443, "a.com", "a.com"), resolve("a.com"));
        srv.put("_matrix._tcp.b.com", List.of(new SrvRecord(0, 0, 8008, "old.b.com")));
        assertEquals(new ResolvedServer("old.b.com", 8008, "b.com", "b.com"), resolve("b.com"));
        assertEquals(new ResolvedServer("c.com", 8448, "c.com", "c.com"), resolve("c.com"));
        assertEquals(List.of("a.com", "b.com", "c.com"), fetched);
    }

    @Test
    void unusableSrvRecordsAreSkipped() {
        srv.put("_matrix-fed._tcp.a.com", List.of(new SrvRecord(0, 0, 443, "."), new SrvRecord(0, 0, 0, "x.a.com")));
        assertEquals(new ResolvedServer("a.com", 8448, "a.com", "a.com"), resolve("a.com"));
    }

    @Test
    void invalidWellKnownResponsesAreTreatedAsAbsent() {
        String[] bodies = {"not json", "[]", "{}", "{\"m.server\":42}", "{\"m.server\":\"bad name!\"}",
                "{\"m.server\":\"x.com:70000\"}", ""};
        for (int i = 0; i < bodies.length; i++) {
            wellKnowns.put("h" + i + ".com", new WellKnownFetcher.Response(200, bodies[i], null, null));
            assertEquals(new ResolvedServer("h" + i + ".com", 8448, "h" + i + ".com", "h" + i + ".com"),
                    resolve("h" + i + ".com"), bodies[i]);
        }
        wellKnowns.put("notfound.com", new WellKnownFetcher.Response(404, "{\"m.server\":\"x.com\"}", null, null));
        assertEquals("notfound.com", resolve("notfound.com").host());
    }

    @Test
    void wellKnownIsCachedFor24HoursByDefault() {
        wellKnowns.put("example.com", ok("m.example.com:443"));
        resolve("example.com");
        clock.advance(Duration.ofHours(23));
        wellKnowns.put("example.com", ok("new.example.com:443"));
        assertEquals("m.example.com", resolve("example.com").host());
        assertEquals(1, fetched.size());
        clock.advance(Duration.ofHours(1));
        assertEquals("new.example.com", resolve("example.com").host());
        assertEquals(2, fetched.size());
    }

    @Test
    void cacheControlMaxAgeIsRespectedWithinBounds() {
        wellKnowns.put("example.com", new WellKnownFetcher.Response(200, "{\"m.server\":\"m.example.com:1\"}",
                "public, max-age=600", null));
        resolve("example.com");
        clock.advance(Duration.ofSeconds(599));
        resolve("example.com");
        assertEquals(1, fetched.size());
        clock.advance(Duration.ofSeconds(1));
        resolve("example.com");
        assertEquals(2, fetched.size());

        Instant now = Instant.EPOCH;
        assertEquals(ServerResolver.MAX_TTL, ServerResolver.ttl(resp("max-age=999999", null), now));
        assertEquals(ServerResolver.MIN_TTL, ServerResolver.ttl(resp("max-age=1", null), now));
        assertEquals(ServerResolver.MIN_TTL, ServerResolver.ttl(resp("no-store", null), now));
        assertEquals(ServerResolver.DEFAULT_TTL, ServerResolver.ttl(resp("public", null), now));
        assertEquals(ServerResolver.DEFAULT_TTL, ServerResolver.ttl(resp(null, null), now));
        String in3h = DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plus(Duration.ofHours(3)).atZone(ZoneOffset.UTC));
        assertEquals(Duration.ofHours(3), ServerResolver.ttl(resp(null, in3h), now));
        assertEquals(Duration.ofSeconds(900), ServerResolver.ttl(resp("max-age=900", in3h), now));
        assertEquals(ServerResolver.MIN_TTL, ServerResolver.ttl(resp(null, "garbage"), now));
    }

    private static WellKnownFetcher.Response resp(String cacheControl, String expires) {
        return new WellKnownFetcher.Response(200, "{}", cacheControl, expires);
    }

    @Test
    void failuresAreCachedForAnHour() {
        assertEquals("down.com", resolve("down.com").host());
        wellKnowns.put("down.com", ok("up.down.com:443"));
        clock.advance(Duration.ofMinutes(59));
        assertEquals("down.com", resolve("down.com").host());
        assertEquals(List.of("down.com"), fetched);
        clock.advance(Duration.ofMinutes(1));
        assertEquals(new ResolvedServer("up.down.com", 443, "up.down.com:443", "up.down.com"), resolve("down.com"));
        assertEquals(List.of("down.com", "down.com"), fetched);
    }

    @Test
    void srvAnswersAreCachedBriefly() {
        resolve("a.com");
        resolve("A.com");
        assertEquals(2, srvAsked.size());
        clock.advance(ServerResolver.SRV_TTL);
        clock.advance(ServerResolver.ERROR_TTL);
        resolve("a.com");
        assertEquals(4, srvAsked.size());
    }

    @Test
    void jndiLookupParsesRecordsAndNeverThrows() {
        assertEquals(new SrvRecord(10, 5, 8448, "matrix.example.com"), JndiSrvLookup.parse("10 5 8448 matrix.example.com."));
        assertEquals(null, JndiSrvLookup.parse("10 5 matrix.example.com."));
        assertEquals(null, JndiSrvLookup.parse("a b c d"));
        assertEquals(List.of(), new JndiSrvLookup(200).lookup("_matrix-fed._tcp.nonexistent.invalid"));
    }
}
