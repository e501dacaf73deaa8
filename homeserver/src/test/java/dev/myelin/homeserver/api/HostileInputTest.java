package dev.myelin.homeserver.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.homeserver.testing.TestServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Bad input gets a Matrix error with the spec's status, never a 500, on both databases: malformed
 * JSON, non-canonical numbers, NUL characters (which PostgreSQL cannot store), bad identifiers,
 * bad tokens and filters, power levels that would half-create a room.
 */
class HostileInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Sqlite extends Cases {
        Sqlite() {
            super(true);
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Postgres extends Cases {
        Postgres() {
            super(false);
        }
    }

    abstract static class Cases {
        private final boolean sqlite;
        private TestServer server;
        private String token;
        private String room;

        Cases(boolean sqlite) {
            this.sqlite = sqlite;
        }

        @BeforeAll
        void start() throws Exception {
            server = sqlite ? TestServer.sqlite() : TestServer.postgres();
            String session = call("POST", "/register", "{}", null).path("session").asText();
            token = call("POST", "/register", "{\"username\":\"mallory\",\"password\":\"pw\","
                    + "\"auth\":{\"type\":\"m.login.dummy\",\"session\":\"" + session + "\"}}", null)
                    .path("access_token").asText();
            room = call("POST", "/createRoom", "{}", token).path("room_id").asText();
        }

        @AfterAll
        void stop() {
            server.close();
        }

        @Test
        void everyBadRequestGetsItsMatrixError() throws Exception {
            String r = enc(room);
            List<String> failures = new ArrayList<>();
            expect(failures, "POST", "/login", "[1,2]", null, 400, "M_BAD_JSON");
            expect(failures, "POST", "/login", "{not json", null, 400, "M_NOT_JSON");
            expect(failures, "POST", "/login", "{\"a\":1,\"a\":2}", null, 400, "M_NOT_JSON");
            expect(failures, "GET", "/account/whoami", null, "nonsense", 401, "M_UNKNOWN_TOKEN");
            expect(failures, "PUT", "/rooms/" + r + "/send/m.room.message/t1", "{\"body\":\"a\\u0000b\"}", token,
                    400, "M_BAD_JSON");
            expect(failures, "PUT", "/rooms/" + r + "/send/m.room%00x/t2", "{\"body\":\"a\"}", token,
                    400, "M_INVALID_PARAM");
            expect(failures, "PUT", "/rooms/" + r + "/send/m.room.message/t3", "{\"body\":1.5}", token,
                    400, "M_BAD_JSON");
            expect(failures, "PUT", "/rooms/" + r + "/send/m.room.message/t4", "{\"n\":1152921504606846976}", token,
                    400, "M_BAD_JSON");
            expect(failures, "PUT", "/rooms/" + r + "/state/m.room.member/garbage", "{\"membership\":\"join\"}",
                    token, 403, "M_FORBIDDEN");
            expect(failures, "PUT", "/profile/" + enc("@mallory:localhost") + "/displayname",
                    "{\"displayname\":\"x\\u0000\"}", token, 400, "M_BAD_JSON");
            expect(failures, "GET", "/rooms/notaroom/messages", null, token, 400, "M_INVALID_PARAM");
            expect(failures, "GET", "/rooms/" + enc("!nope:localhost") + "/messages", null, token, 403, "M_FORBIDDEN");
            expect(failures, "GET", "/sync?since=garbage", null, token, 400, "M_INVALID_PARAM");
            expect(failures, "GET", "/sync?timeout=abc", null, token, 400, "M_INVALID_PARAM");
            expect(failures, "GET", "/sync?filter=" + enc("{bad"), null, token, 400, "M_BAD_JSON");
            expect(failures, "GET", "/sync?filter=999", null, token, 404, "M_NOT_FOUND");
            expect(failures, "POST", "/createRoom", "{\"invite\":\"x\"}", token, 400, "M_BAD_JSON");
            expect(failures, "POST", "/createRoom", "{\"room_version\":\"1\"}", token, 400,
                    "M_UNSUPPORTED_ROOM_VERSION");
            expect(failures, "POST", "/createRoom", "{\"power_level_content_override\":{\"ban\":\"high\"}}", token,
                    400, "M_BAD_JSON");
            expect(failures, "POST", "/rooms/" + r + "/invite", "{\"user_id\":\"bad\"}", token, 400,
                    "M_INVALID_PARAM");
            expect(failures, "POST", "/rooms/" + r + "/invite", "{\"user_id\":\"@ghost:localhost\"}", token, 404,
                    "M_NOT_FOUND");
            expect(failures, "POST", "/join/" + enc("#nope:localhost"), "{}", token, 404, "M_NOT_FOUND");
            expect(failures, "POST", "/user/" + enc("@mallory:localhost") + "/filter",
                    "{\"room\":{\"timeline\":{\"limit\":\"x\"}}}", token, 400, "M_BAD_JSON");
            assertEquals(List.of(), failures);
            // The refused power levels must not have left a half-created room behind.
            assertEquals(1, call("GET", "/joined_rooms", null, token).path("joined_rooms").size());
        }

        private void expect(List<String> failures, String method, String path, String body, String token,
                            int status, String errcode) throws Exception {
            HttpResponse<String> response = send(method, path, body, token);
            JsonNode json = JSON.readTree(response.body());
            if (response.statusCode() != status || !errcode.equals(json.path("errcode").asText())) {
                failures.add(method + " " + path + " -> " + response.statusCode() + " " + response.body());
            }
        }

        private JsonNode call(String method, String path, String body, String token) throws Exception {
            return JSON.readTree(send(method, path, body, token).body());
        }

        private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/_matrix/client/v3" + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        private static String enc(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }
}
