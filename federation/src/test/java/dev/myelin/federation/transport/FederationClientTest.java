package dev.myelin.federation.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.json.CanonicalJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FederationClientTest {
    private static final ServerName ORIGIN = ServerName.of("origin.example.org");
    private static final SigningKey KEY = SigningKey.generate("abc");
    private static final AddressPolicy LOOPBACK = AddressPolicy.parse("127.0.0.0/8, ::1/128");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final AtomicInteger requests = new AtomicInteger();
    private static final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private static TestHttpsServer server;
    private static ServerName dest;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        server = new TestHttpsServer(dir);
        dest = ServerName.of("127.0.0.1:" + server.port());
        server.handle("/_matrix/federation/v1/echo", exchange -> {
            requests.incrementAndGet();
            clientPorts.add(exchange.getRemoteAddress().getPort());
            String uri = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            byte[] body = exchange.getRequestBody().readAllBytes();
            JsonNode content = body.length == 0 ? null : CanonicalJson.parse(body);
            String header = exchange.getRequestHeaders().getFirst("Authorization");
            ObjectNode reply = CanonicalJson.mapper().createObjectNode();
            reply.put("method", exchange.getRequestMethod()).put("uri", uri).put("signed", header != null);
            if (header != null) {
                XMatrixAuth auth = XMatrixAuth.parse(header);
                reply.put("origin", auth.origin().value()).put("destination", auth.destination().value())
                        .put("key", auth.keyId())
                        .put("verified", auth.verify(KEY.publicKey(), exchange.getRequestMethod(), uri, content));
            }
            if (content != null) {
                reply.set("content", content);
            }
            TestHttpsServer.respond(exchange, 200, "application/json", CanonicalJson.encodeToString(reply));
        });
        server.handle("/_matrix/federation/v1/forbidden", exchange -> TestHttpsServer.respond(exchange, 403,
                "application/json", "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"not in room\"}"));
        server.handle("/_matrix/federation/v1/html", exchange ->
                TestHttpsServer.respond(exchange, 502, "text/html", "<html>bad gateway</html>"));
        server.handle("/_matrix/federation/v1/notjson", exchange ->
                TestHttpsServer.respond(exchange, 200, "application/json", "{nope"));
        server.handle("/_matrix/federation/v1/empty", exchange -> TestHttpsServer.respond(exchange, 200, "application/json", ""));
        server.handle("/_matrix/federation/v1/slow", exchange -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            TestHttpsServer.respond(exchange, 200, "application/json", "{}");
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ServerResolver resolver(Map<String, List<SrvRecord>> srv) {
        return new ServerResolver(host -> {
            throw new IOException("no well-known in tests");
        }, name -> srv.getOrDefault(name, List.of()), Clock.systemUTC());
    }

    private static FederationClient client(AddressPolicy policy, boolean verifyTls) {
        return new FederationClient(ORIGIN, KEY, resolver(Map.of()), policy, verifyTls, TIMEOUT);
    }

    @Test
    void signedGetCarriesAVerifiableXMatrixHeaderOverTheExactPathAndQuery() {
        String path = FederationClient.path("/_matrix/federation/v1/echo/{eventId}", "$ev/1:example.org") + "?limit=5&v=%21x";
        JsonNode reply = client(LOOPBACK, false).get(dest, path);
        assertEquals("/_matrix/federation/v1/echo/%24ev%2F1%3Aexample.org?limit=5&v=%21x", reply.path("uri").asText());
        assertEquals("GET", reply.path("method").asText());
        assertTrue(reply.path("verified").asBoolean(), reply.toString());
        assertEquals(ORIGIN.value(), reply.path("origin").asText());
        assertEquals(dest.value(), reply.path("destination").asText());
        assertEquals("ed25519:abc", reply.path("key").asText());
    }

    @Test
    void putAndPostBodiesRoundTripAndAreSigned() {
        FederationClient client = client(LOOPBACK, false);
        JsonNode body = CanonicalJson.parse("{\"pdus\":[{\"n\":1,\"text\":\"h\u00e9llo \u2603\"}],\"edus\":[]}");
        JsonNode put = client.put(dest, "/_matrix/federation/v1/echo/send/txn1", body);
        assertEquals("PUT", put.path("method").asText());
        assertEquals(body, put.path("content"));
        assertTrue(put.path("verified").asBoolean(), put.toString());
        JsonNode post = client.post(dest, "/_matrix/federation/v1/echo/keys", null);
        assertEquals("POST", post.path("method").asText());
        assertEquals(CanonicalJson.parse("{}"), post.path("content"));
        assertTrue(post.path("verified").asBoolean(), post.toString());
    }

    @Test
    void unsignedGetHasNoAuthorization() {
        JsonNode reply = client(LOOPBACK, false).getUnsigned(dest, "/_matrix/federation/v1/echo/key");
        assertFalse(reply.path("signed").asBoolean());
    }

    @Test
    void connectionsAreReused() {
        FederationClient client = client(LOOPBACK, false);
        clientPorts.clear();
        for (int i = 0; i < 3; i++) {
            client.get(dest, "/_matrix/federation/v1/echo/" + i);
        }
        assertEquals(1, clientPorts.size(), clientPorts.toString());
    }

    @Test
    void errorAnswersBecomeFederationExceptions() {
        FederationClient client = client(LOOPBACK, false);
        FederationException forbidden = assertThrows(FederationException.class,
                () -> client.get(dest, "/_matrix/federation/v1/forbidden"));
        assertEquals(403, forbidden.status());
        assertEquals("M_FORBIDDEN", forbidden.errcode());
        assertTrue(forbidden.getMessage().contains("not in room"), forbidden.getMessage());
        FederationException html = assertThrows(FederationException.class, () -> client.get(dest, "/_matrix/federation/v1/html"));
        assertEquals(502, html.status());
        assertEquals("M_UNKNOWN", html.errcode());
        FederationException notJson = assertThrows(FederationException.class,
                () -> client.get(dest, "/_matrix/federation/v1/notjson"));
        assertEquals("M_NOT_JSON", notJson.errcode());
        assertEquals(CanonicalJson.parse("{}"), client.get(dest, "/_matrix/federation/v1/empty"));
    }

    @Test
    void loopbackIsRefusedUnlessThePolicyAllowsIt() {
        int before = requests.get();
        FederationException refused = assertThrows(FederationException.class,
                () -> client(AddressPolicy.denyPrivate(), false).get(dest, "/_matrix/federation/v1/echo/x"));
        assertEquals(0, refused.status());
        assertTrue(refused.unreachable());
        assertTrue(refused.getMessage().contains("address policy"), refused.getMessage());
        assertEquals(before, requests.get());
        assertTrue(client(AddressPolicy.parse("127.0.0.0/8"), false).get(dest, "/_matrix/federation/v1/echo/x")
                .path("verified").asBoolean());
    }

    @Test
    void selfSignedCertificateIsRefusedWhenVerifyingTls() {
        FederationException e = assertThrows(FederationException.class,
                () -> client(LOOPBACK, true).get(dest, "/_matrix/federation/v1/echo/x"));
        assertEquals(0, e.status());
        assertTrue(e.getMessage().contains("TLS"), e.getMessage());
    }

    @Test
    void verifiedTlsChecksTheCertificateAgainstTheServerNameAfterSrv() throws Exception {
        Map<String, List<SrvRecord>> srv = Map.of(
                "_matrix-fed._tcp.example.test", List.of(new SrvRecord(0, 0, server.port(), "localhost")),
                "_matrix-fed._tcp.other.test", List.of(new SrvRecord(0, 0, server.port(), "localhost")));
        FederationClient client = new FederationClient(ORIGIN, KEY, resolver(srv), LOOPBACK,
                server.trustingThisServer(), TIMEOUT);
        assertTrue(client.get(dest, "/_matrix/federation/v1/echo/ip").path("verified").asBoolean());
        JsonNode viaSrv = client.get(ServerName.of("example.test"), "/_matrix/federation/v1/echo/srv");
        assertEquals("example.test", viaSrv.path("destination").asText());
        assertTrue(viaSrv.path("verified").asBoolean());
        FederationException wrongName = assertThrows(FederationException.class,
                () -> client.get(ServerName.of("other.test"), "/_matrix/federation/v1/echo/srv"));
        assertEquals(0, wrongName.status());
    }

    @Test
    void certificateNamesMatchDnsWildcardAndIp() throws Exception {
        var cert = server.certificate();
        assertTrue(ServerTrust.matches(cert, "localhost"));
        assertTrue(ServerTrust.matches(cert, "EXAMPLE.test"));
        assertTrue(ServerTrust.matches(cert, "127.0.0.1"));
        assertFalse(ServerTrust.matches(cert, "127.0.0.2"));
        assertFalse(ServerTrust.matches(cert, "sub.example.test"));
        assertFalse(ServerTrust.matches(cert, "other.test"));
    }

    @Test
    void slowAnswersTimeOut() {
        FederationClient client = new FederationClient(ORIGIN, KEY, resolver(Map.of()), LOOPBACK, false, Duration.ofMillis(300));
        FederationException e = assertThrows(FederationException.class, () -> client.get(dest, "/_matrix/federation/v1/slow"));
        assertEquals(0, e.status());
        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
    }

    @Test
    void oversizedBodiesAreRefused() {
        var http = Transport.client(ServerTrust.trustAll(), TIMEOUT);
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port()
                + "/_matrix/federation/v1/forbidden")).build();
        FederationException e = assertThrows(FederationException.class, () -> Transport.send(http, request, TIMEOUT, 10));
        assertEquals("M_TOO_LARGE", e.errcode());
        assertEquals(403, Transport.send(http, request, TIMEOUT, 1000).statusCode());
    }

    @Test
    void pathEncodesSegments() {
        assertEquals("/_matrix/federation/v1/state/%21room%3Aexample.org?event_id=",
                FederationClient.path("/_matrix/federation/v1/state/{roomId}?event_id=", "!room:example.org"));
        assertEquals("/a/%40u%3Ax.org/b/%E2%98%83%20%2B~-._", FederationClient.path("/a/{u}/b/{v}", "@u:x.org", "\u2603 +~-._"));
        assertThrows(IllegalArgumentException.class, () -> FederationClient.path("/a/{x}"));
        assertThrows(IllegalArgumentException.class, () -> FederationClient.path("/a", "x"));
        assertThrows(IllegalArgumentException.class, () -> client(LOOPBACK, false).get(dest, "no-slash"));
    }
}
