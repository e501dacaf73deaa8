package dev.myelin.federation.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpWellKnownFetcherTest {
    private static TestHttpsServer server;
    private static String host;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        server = new TestHttpsServer(dir);
        host = "127.0.0.1:" + server.port();
        server.handle("/.well-known/matrix/server", exchange -> {
            exchange.getResponseHeaders().set("Location", "/moved/once");
            TestHttpsServer.respond(exchange, 302, "text/plain", "");
        });
        server.handle("/moved/once", exchange -> {
            exchange.getResponseHeaders().set("Cache-Control", "max-age=3600");
            TestHttpsServer.respond(exchange, 200, "text/plain", "{\"m.server\":\"matrix.example.com:443\"}");
        });
        server.handle("/loop", exchange -> {
            exchange.getResponseHeaders().set("Location", "/loop");
            TestHttpsServer.respond(exchange, 301, "text/plain", "");
        });
        server.handle("/to-http", exchange -> {
            exchange.getResponseHeaders().set("Location", "http://example.com/");
            TestHttpsServer.respond(exchange, 301, "text/plain", "");
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpWellKnownFetcher fetcher(AddressPolicy policy) {
        return new HttpWellKnownFetcher(policy, false, Duration.ofSeconds(5));
    }

    @Test
    void followsRedirectsAndReportsCacheHeaders() throws IOException {
        WellKnownFetcher.Response r = fetcher(AddressPolicy.parse("127.0.0.0/8")).fetch(host);
        assertEquals(200, r.status());
        assertEquals("{\"m.server\":\"matrix.example.com:443\"}", r.body());
        assertEquals("max-age=3600", r.cacheControl());
    }

    @Test
    void refusesPrivateAddressesLoopsAndDowngrades() {
        IOException refused = assertThrows(IOException.class, () -> fetcher(AddressPolicy.denyPrivate()).fetch(host));
        assertTrue(refused.getMessage().contains("address policy"), refused.getMessage());
        HttpWellKnownFetcher fetcher = fetcher(AddressPolicy.parse("127.0.0.0/8"));
        // "host/path#" makes the fetcher's URL https://host/path#/.well-known/..., i.e. a GET of /path
        assertThrows(IOException.class, () -> fetcher.fetch(host + "/loop#"));
        assertThrows(IOException.class, () -> fetcher.fetch(host + "/to-http#"));
    }

    @Test
    void verifyingTlsRefusesTheSelfSignedServer() {
        HttpWellKnownFetcher fetcher = new HttpWellKnownFetcher(AddressPolicy.parse("127.0.0.0/8"), true, Duration.ofSeconds(5));
        assertThrows(IOException.class, () -> fetcher.fetch(host));
    }
}
