package dev.myelin.homeserver.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.homeserver.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.myelin.homeserver.e2e.SpecClient.enc;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives a real server through the common Client-Server endpoints and checks every response body
 * against the schema the specification gives for that endpoint and status.
 */
class ClientServerSchemaTest {
    private static final String V3 = "/_matrix/client/v3";
    private static final String PASSWORD = "schema test password";

    @Test
    void responsesMatchTheSpecification() throws Exception {
        try (TestServer server = TestServer.sqlite()) {
            SpecClient client = new SpecClient(server.baseUrl());
            exercise(client);
            System.out.println("Validated against the specification:\n  " + String.join("\n  ", client.validated()));
            assertTrue(client.problems().isEmpty(),
                    "Responses that don't match the specification:\n  " + String.join("\n  ", client.problems()));
            assertTrue(client.validated().size() >= 15, "Only validated " + client.validated());
        }
    }

    private static void exercise(SpecClient c) {
        String username = "schema-" + UUID.randomUUID().toString().substring(0, 8);

        // Discovery and registration, unauthenticated.
        c.call(200, "GET", "/_matrix/client/versions", null, null);
        c.optional("GET", "/.well-known/matrix/client");
        c.call(200, "GET", V3 + "/login", null, null);
        c.call(200, "GET", V3 + "/register/available", "username=" + enc(username), null);
        Map<String, Object> registration = Map.of("username", username, "password", PASSWORD);
        JsonNode challenge = c.require(401, "POST", V3 + "/register", null, registration);
        c.require(200, "POST", V3 + "/register", null, Map.of("username", username, "password", PASSWORD,
                "auth", Map.of("type", "m.login.dummy", "session", challenge.path("session").asText())));
        c.call(400, "GET", V3 + "/register/available", "username=" + enc(username), null);
        c.call(401, "GET", V3 + "/account/whoami", null, null);

        JsonNode login = c.require(200, "POST", V3 + "/login", null, Map.of("type", "m.login.password",
                "identifier", Map.of("type", "m.id.user", "user", username), "password", PASSWORD));
        String userId = login.path("user_id").asText();
        String deviceId = login.path("device_id").asText();
        c.useToken(login.path("access_token").asText());

        // Account.
        c.call(200, "GET", V3 + "/account/whoami", null, null);
        c.call(200, "GET", V3 + "/capabilities", null, null);
        c.call(200, "GET", V3 + "/devices", null, null);
        c.call(200, "GET", V3 + "/devices/{deviceId}", null, null, deviceId);
        c.call(200, "GET", V3 + "/pushrules/", null, null);
        c.call(200, "GET", V3 + "/pushrules/global/", null, null);
        String rule = V3 + "/pushrules/global/{kind}/{ruleId}";
        c.call(200, "PUT", rule, null, Map.of("actions", List.of("notify"), "conditions",
                List.of(Map.of("kind", "event_match", "key", "content.body", "pattern", "cake*"))), "override", "cake");
        c.call(200, "GET", rule, null, null, "override", "cake");
        c.call(200, "PUT", rule + "/enabled", null, Map.of("enabled", false), "override", "cake");
        c.call(200, "GET", rule + "/enabled", null, null, "override", "cake");
        c.call(200, "PUT", rule + "/actions", null, Map.of("actions", List.of()), "override", "cake");
        c.call(200, "GET", rule + "/actions", null, null, "override", "cake");
        c.call(200, "DELETE", rule, null, null, "override", "cake");
        c.call(404, "GET", rule, null, null, "override", "cake");
        c.call(200, "GET", V3 + "/notifications", "limit=5", null);
        c.call(200, "PUT", V3 + "/profile/{userId}/{keyName}", null, Map.of("displayname", "Schema Tester"),
                userId, "displayname");
        c.call(200, "GET", V3 + "/profile/{userId}/{keyName}", null, null, userId, "displayname");
        c.call(200, "GET", V3 + "/profile/{userId}", null, null, userId);
        JsonNode filter = c.call(200, "POST", V3 + "/user/{userId}/filter", null,
                Map.of("room", Map.of("timeline", Map.of("limit", 10))), userId);
        c.call(200, "GET", V3 + "/user/{userId}/filter/{filterId}", null, null, userId,
                filter.path("filter_id").asText("missing"));
        c.call(200, "PUT", V3 + "/user/{userId}/account_data/{type}", null, Map.of("theme", "dark"),
                userId, "org.myelin.test.settings");
        c.call(200, "GET", V3 + "/user/{userId}/account_data/{type}", null, null, userId, "org.myelin.test.settings");

        // A room with some events in it.
        String roomId = c.require(200, "POST", V3 + "/createRoom", null,
                Map.of("name", "Schema room", "topic", "Checked against the spec", "preset", "private_chat"))
                .path("room_id").asText();
        String eventId = c.require(200, "PUT", V3 + "/rooms/{roomId}/send/{eventType}/{txnId}", null,
                Map.of("msgtype", "m.text", "body", "Hello, schema"), roomId, "m.room.message", "txn-1")
                .path("event_id").asText();
        c.call(200, "PUT", V3 + "/rooms/{roomId}/state/{eventType}/{stateKey}", null,
                Map.of("topic", "Still checked"), roomId, "m.room.topic", "");
        c.call(200, "GET", V3 + "/rooms/{roomId}/state/{eventType}/{stateKey}", null, null,
                roomId, "m.room.name", "");
        c.call(200, "GET", V3 + "/rooms/{roomId}/state", null, null, roomId);
        c.call(200, "GET", V3 + "/rooms/{roomId}/event/{eventId}", null, null, roomId, eventId);
        c.call(200, "GET", V3 + "/rooms/{roomId}/messages", "dir=b&limit=5", null, roomId);
        c.call(200, "GET", V3 + "/rooms/{roomId}/context/{eventId}", "limit=4", null, roomId, eventId);
        c.call(200, "GET", V3 + "/rooms/{roomId}/joined_members", null, null, roomId);
        c.call(200, "GET", V3 + "/rooms/{roomId}/members", null, null, roomId);
        c.call(200, "GET", V3 + "/joined_rooms", null, null);

        JsonNode sync = c.call(200, "GET", V3 + "/sync", null, null);
        c.call(200, "GET", V3 + "/sync", "timeout=0&since=" + enc(sync.path("next_batch").asText()), null);
        c.call(404, "GET", V3 + "/rooms/{roomId}/event/{eventId}", null, null, roomId, "$missing:localhost");

        c.call(200, "POST", V3 + "/logout", null, Map.of());
    }
}
