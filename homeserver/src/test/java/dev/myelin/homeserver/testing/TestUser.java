package dev.myelin.homeserver.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One logged-in device of a user on a {@link TestServer}, speaking the Client-Server API over
 * HTTP. {@link #call} returns whatever the server answers; the other methods expect success and
 * fail the test with the server's answer otherwise.
 */
public final class TestUser {
    public static final String PASSWORD = "test user password";
    private static final String V3 = "/_matrix/client/v3";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final AtomicInteger NEXT = new AtomicInteger();

    /** A response: its status and its body (a MissingNode when the body is not JSON). */
    public record Response(int status, JsonNode json) {
        public String errcode() {
            return json.path("errcode").asText(null);
        }
    }

    private final String baseUrl;
    private final String userId;
    private final String deviceId;
    private final String token;

    private TestUser(String baseUrl, String userId, String deviceId, String token) {
        this.baseUrl = baseUrl;
        this.userId = userId;
        this.deviceId = deviceId;
        this.token = token;
    }

    /** Registers a new account whose localpart starts with {@code name} and is unique in the run. */
    public static TestUser register(TestServer server, String name) {
        String username = name + "-" + NEXT.incrementAndGet();
        Response r = send(server.baseUrl(), null, "POST", V3 + "/register", Map.of("username", username,
                "password", PASSWORD, "auth", Map.of("type", "m.login.dummy")));
        assertEquals(200, r.status(), "register: " + r.json());
        return new TestUser(server.baseUrl(), r.json().get("user_id").asText(), r.json().get("device_id").asText(),
                r.json().get("access_token").asText());
    }

    /** Logs the same user in again: a second device with its own access token. */
    public TestUser newDevice() {
        Response r = send(baseUrl, null, "POST", V3 + "/login", Map.of("type", "m.login.password",
                "identifier", Map.of("type", "m.id.user", "user", userId), "password", PASSWORD));
        assertEquals(200, r.status(), "login: " + r.json());
        return new TestUser(baseUrl, userId, r.json().get("device_id").asText(), r.json().get("access_token").asText());
    }

    /** The same user and device on another server instance on the same database (after a restart). */
    public TestUser on(TestServer server) {
        return new TestUser(server.baseUrl(), userId, deviceId, token);
    }

    public String id() {
        return userId;
    }

    public String deviceId() {
        return deviceId;
    }

    /** Any request below {@code /_matrix/client/v3}; {@code path} starts with "/" and is already encoded. */
    public Response call(String method, String path, Object body) {
        return send(baseUrl, token, method, V3 + path, body);
    }

    /** Any request below {@code /_matrix/client/v1}; {@code path} starts with "/" and is already encoded. */
    public Response callV1(String method, String path, Object body) {
        return send(baseUrl, token, method, "/_matrix/client/v1" + path, body);
    }

    /** A request below {@code /_matrix/client/v1} that must succeed with 200; returns its body. */
    public JsonNode okV1(String method, String path, Object body) {
        Response r = callV1(method, path, body);
        assertEquals(200, r.status(), method + " " + path + " answered " + r.json());
        return r.json();
    }

    /** A request that must succeed with 200; returns its body. */
    public JsonNode ok(String method, String path, Object body) {
        Response r = call(method, path, body);
        assertEquals(200, r.status(), method + " " + path + " answered " + r.json());
        return r.json();
    }

    /** A request that must fail with this status and errcode. */
    public void fails(int status, String errcode, String method, String path, Object body) {
        Response r = call(method, path, body);
        assertEquals(status + " " + errcode, r.status() + " " + r.errcode(), method + " " + path + ": " + r.json());
    }

    public String createRoom(Map<String, ?> request) {
        return ok("POST", "/createRoom", request).get("room_id").asText();
    }

    /** A public room of this user's that the others have joined. */
    public String publicRoomWith(TestUser... others) {
        String roomId = createRoom(Map.of("preset", "public_chat"));
        for (TestUser other : others) {
            other.join(roomId);
        }
        return roomId;
    }

    public void join(String roomIdOrAlias) {
        ok("POST", "/join/" + enc(roomIdOrAlias), Map.of());
    }

    /** Does something to another member: invite, kick, ban or unban. */
    public void membership(String action, String roomId, TestUser target) {
        ok("POST", "/rooms/" + enc(roomId) + "/" + action, Map.of("user_id", target.id()));
    }

    public void leave(String roomId) {
        ok("POST", "/rooms/" + enc(roomId) + "/leave", Map.of());
    }

    /** Sends an m.text message with a fresh transaction ID and returns its event ID. */
    public String say(String roomId, String text) {
        return sendEvent(roomId, "m.room.message", "txn" + NEXT.incrementAndGet(), Map.of("msgtype", "m.text",
                "body", text));
    }

    public String sendEvent(String roomId, String type, String txnId, Map<String, ?> content) {
        return ok("PUT", "/rooms/" + enc(roomId) + "/send/" + enc(type) + "/" + enc(txnId), content)
                .get("event_id").asText();
    }

    public String setState(String roomId, String type, String stateKey, Map<String, ?> content) {
        return ok("PUT", "/rooms/" + enc(roomId) + "/state/" + enc(type) + "/" + enc(stateKey), content)
                .get("event_id").asText();
    }

    /** {@code GET /sync} with a query string such as {@code "since=...&timeout=0"} (values encoded). */
    public JsonNode sync(String query) {
        return ok("GET", "/sync" + (query == null || query.isEmpty() ? "" : "?" + query), null);
    }

    /** An incremental sync that returns at once. */
    public JsonNode syncSince(JsonNode previous) {
        return sync("timeout=0&since=" + enc(previous.get("next_batch").asText()));
    }

    /** URL-encodes a path segment or query value. */
    public static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Response send(String baseUrl, String token, String method, String path, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), parse(response.body()));
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static JsonNode parse(String text) {
        try {
            return text == null || text.isBlank() ? MissingNode.getInstance() : JSON.readTree(text);
        } catch (IOException notJson) {
            return MissingNode.getInstance();
        }
    }
}
