package dev.myelin.homeserver.api.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.homeserver.schema.SpecSchemas;
import dev.myelin.homeserver.testing.ServerPerClass;
import dev.myelin.homeserver.testing.TestServer;
import dev.myelin.homeserver.testing.TestUser;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@code GET /pushers} and {@code POST /pushers/set} over HTTP, on both databases. */
class PushersTest {
    private static final String URL = "https://push.example.org/_matrix/push/v1/notify";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Nested
    class Sqlite extends Behaviour {
        Sqlite() {
            super(TestServer::sqlite);
        }
    }

    @Nested
    class Postgres extends Behaviour {
        Postgres() {
            super(TestServer::postgres);
        }
    }

    static Map<String, Object> pusher(String appId, String pushkey) {
        Map<String, Object> body = new HashMap<>();
        body.put("kind", "http");
        body.put("app_id", appId);
        body.put("pushkey", pushkey);
        body.put("app_display_name", "Myelin Test");
        body.put("device_display_name", "Phone");
        body.put("lang", "en-GB");
        body.put("data", Map.of("url", URL, "format", "event_id_only", "custom", "kept"));
        return body;
    }

    static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(body);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        return copy;
    }

    abstract static class Behaviour extends ServerPerClass {
        Behaviour(Supplier<TestServer> start) {
            super(start);
        }

        private static JsonNode pushers(TestUser user) {
            JsonNode body = user.ok("GET", "/pushers", null);
            List<String> problems = SpecSchemas.clientServer()
                    .validateResponse("/_matrix/client/v3/pushers", "GET", 200, body);
            assertEquals(List.of(), problems, "GET /pushers does not match the specification: " + body);
            return body.get("pushers");
        }

        private static List<String> pushkeys(TestUser user) {
            List<String> keys = new java.util.ArrayList<>();
            pushers(user).forEach(p -> keys.add(p.get("app_id").asText() + " " + p.get("pushkey").asText()));
            return keys;
        }

        @Test
        void aNewUserHasNoPushers() {
            assertEquals(0, pushers(user("alice")).size());
        }

        @Test
        void aPusherIsListedWithEveryFieldItWasSetWith() throws Exception {
            TestUser alice = user("alice");
            Map<String, Object> body = with(pusher("org.example.app", "key-1"), "profile_tag", "tag-1");
            alice.ok("POST", "/pushers/set", body);
            JsonNode expected = JSON.readTree("""
                    [{"pushkey": "key-1", "app_id": "org.example.app", "kind": "http",
                      "app_display_name": "Myelin Test", "device_display_name": "Phone", "profile_tag": "tag-1",
                      "lang": "en-GB",
                      "data": {"url": "https://push.example.org/_matrix/push/v1/notify",
                               "format": "event_id_only", "custom": "kept"}}]""");
            assertEquals(expected, pushers(alice));
        }

        @Test
        void settingTheSameAppIdAndPushkeyUpdatesThePusher() {
            TestUser alice = user("alice");
            alice.ok("POST", "/pushers/set", pusher("org.example.app", "key"));
            alice.ok("POST", "/pushers/set", with(pusher("org.example.app", "key"), "lang", "fr"));
            alice.ok("POST", "/pushers/set", pusher("org.example.app", "other"));
            JsonNode listed = pushers(alice);
            assertEquals(2, listed.size());
            assertEquals("fr", listed.get(0).get("lang").asText());
            assertEquals("en-GB", listed.get(1).get("lang").asText());
        }

        @Test
        void kindNullDeletesThePusher() {
            TestUser alice = user("alice");
            alice.ok("POST", "/pushers/set", pusher("org.example.app", "one"));
            alice.ok("POST", "/pushers/set", pusher("org.example.app", "two"));
            Map<String, Object> delete = new HashMap<>();
            delete.put("kind", null);
            delete.put("app_id", "org.example.app");
            delete.put("pushkey", "one");
            alice.ok("POST", "/pushers/set", delete);
            assertEquals(List.of("org.example.app two"), pushkeys(alice));
            alice.ok("POST", "/pushers/set", delete);
            assertEquals(List.of("org.example.app two"), pushkeys(alice));
        }

        @Test
        void withoutAppendOtherUsersPushersOfTheSamePushkeyAreRemoved() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            TestUser carol = user("carol");
            String key = "shared-" + alice.id();
            alice.ok("POST", "/pushers/set", pusher("org.example.app", key));
            bob.ok("POST", "/pushers/set", with(pusher("org.example.app", key), "append", true));
            assertEquals(List.of("org.example.app " + key), pushkeys(alice));
            assertEquals(List.of("org.example.app " + key), pushkeys(bob));

            carol.ok("POST", "/pushers/set", with(pusher("org.example.app", key), "append", false));
            assertEquals(List.of(), pushkeys(alice));
            assertEquals(List.of(), pushkeys(bob));
            assertEquals(List.of("org.example.app " + key), pushkeys(carol));
        }

        @Test
        void aDevicesPushersGoWhenTheDeviceLogsOut() {
            TestUser phone = user("alice");
            TestUser laptop = phone.newDevice();
            phone.ok("POST", "/pushers/set", pusher("org.example.phone", "phone-key"));
            laptop.ok("POST", "/pushers/set", pusher("org.example.laptop", "laptop-key"));
            phone.ok("POST", "/logout", Map.of());
            assertEquals(List.of("org.example.laptop laptop-key"), pushkeys(laptop));

            TestUser tablet = laptop.newDevice();
            tablet.ok("POST", "/pushers/set", pusher("org.example.tablet", "tablet-key"));
            laptop.ok("POST", "/logout/all", Map.of());
            TestUser again = tablet.newDevice();
            assertEquals(List.of(), pushkeys(again));
        }

        @Test
        void deletingADeviceRemovesItsPushers() {
            TestUser phone = user("alice");
            TestUser laptop = phone.newDevice();
            phone.ok("POST", "/pushers/set", pusher("org.example.phone", "phone-key"));
            laptop.ok("POST", "/pushers/set", pusher("org.example.laptop", "laptop-key"));
            laptop.ok("DELETE", "/devices/" + TestUser.enc(phone.deviceId()), Map.of("auth", Map.of(
                    "type", "m.login.password", "identifier", Map.of("type", "m.id.user", "user", laptop.id()),
                    "password", TestUser.PASSWORD)));
            assertEquals(List.of("org.example.laptop laptop-key"), pushkeys(laptop));
        }

        @Test
        void missingFieldsAreMissingParam() {
            TestUser alice = user("alice");
            Map<String, Object> full = pusher("org.example.app", "key");
            for (String field : List.of("kind", "app_id", "pushkey", "app_display_name", "device_display_name",
                    "lang", "data")) {
                alice.fails(400, "M_MISSING_PARAM", "POST", "/pushers/set", with(full, field, null));
            }
            alice.fails(400, "M_MISSING_PARAM", "POST", "/pushers/set", with(full, "data", Map.of("format",
                    "event_id_only")));
            alice.fails(400, "M_MISSING_PARAM", "POST", "/pushers/set", Map.of());
            Map<String, Object> nullAppId = new HashMap<>(full);
            nullAppId.put("app_id", null);
            alice.fails(400, "M_MISSING_PARAM", "POST", "/pushers/set", nullAppId);
            assertEquals(List.of(), pushkeys(alice));
        }

        @Test
        void invalidValuesAreInvalidParam() {
            TestUser alice = user("alice");
            Map<String, Object> full = pusher("org.example.app", "key");
            List<Map<String, Object>> invalid = List.of(
                    with(full, "kind", "email"),
                    with(full, "kind", "carrier-pigeon"),
                    with(full, "kind", 7),
                    with(full, "app_id", "a".repeat(65)),
                    with(full, "app_id", ""),
                    with(full, "pushkey", "k".repeat(513)),
                    with(full, "pushkey", "é".repeat(257)),
                    with(full, "pushkey", 12),
                    with(full, "lang", List.of("en")),
                    with(full, "append", "yes"),
                    with(full, "data", "https://push.example.org/_matrix/push/v1/notify"),
                    with(full, "data", Map.of("url", "https://push.example.org/notify")),
                    with(full, "data", Map.of("url", "ftp://push.example.org/_matrix/push/v1/notify")),
                    with(full, "data", Map.of("url", "/_matrix/push/v1/notify")),
                    with(full, "data", Map.of("url", "https://bad host/_matrix/push/v1/notify")),
                    with(full, "data", Map.of("url", 42)),
                    with(full, "data", Map.of("url", URL, "format", "full")));
            for (Map<String, Object> body : invalid) {
                alice.fails(400, "M_INVALID_PARAM", "POST", "/pushers/set", body);
            }
            assertEquals(List.of(), pushkeys(alice));
            alice.ok("POST", "/pushers/set", with(full, "pushkey", "k".repeat(512)));
            alice.ok("POST", "/pushers/set", with(full, "data",
                    Map.of("url", "http://127.0.0.1:9/_matrix/push/v1/notify")));
        }

        @Test
        void pushersNeedAnAccessToken() throws Exception {
            for (String path : List.of("/pushers", "/pushers/set")) {
                var request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(server().baseUrl() + "/_matrix/client/v3" + path));
                var response = java.net.http.HttpClient.newHttpClient().send(path.endsWith("set")
                                ? request.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build()
                                : request.GET().build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(401, response.statusCode());
                assertEquals("M_MISSING_TOKEN", JSON.readTree(response.body()).path("errcode").asText());
            }
        }
    }
}
