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
        c.call(200, "POST", V3 + "/pushers/set", null, Map.of("kind", "http", "app_id", "org.myelin.schema",
                "pushkey", "schema-key", "app_display_name", "Schema", "device_display_name", "Tester", "lang", "en",
                "data", Map.of("url", "https://push.example.org/_matrix/push/v1/notify", "format", "event_id_only")));
        c.call(200, "GET", V3 + "/pushers", null, null);
        c.call(400, "POST", V3 + "/pushers/set", null, Map.of("kind", "http", "app_id", "org.myelin.schema"));

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
        relations(c, roomId, eventId);

        // Receipts, read markers, typing and presence, then a sync that carries them.
        c.call(200, "POST", V3 + "/rooms/{roomId}/receipt/{receiptType}/{eventId}", null, Map.of(),
                roomId, "m.read", eventId);
        c.call(200, "POST", V3 + "/rooms/{roomId}/receipt/{receiptType}/{eventId}", null,
                Map.of("thread_id", "main"), roomId, "m.read.private", eventId);
        c.call(400, "POST", V3 + "/rooms/{roomId}/receipt/{receiptType}/{eventId}", null,
                Map.of("thread_id", ""), roomId, "m.read", eventId);
        c.call(200, "POST", V3 + "/rooms/{roomId}/read_markers", null,
                Map.of("m.fully_read", eventId, "m.read", eventId), roomId);
        c.call(200, "PUT", V3 + "/rooms/{roomId}/typing/{userId}", null, Map.of("typing", true, "timeout", 20000),
                roomId, userId);
        c.call(200, "PUT", V3 + "/presence/{userId}/status", null,
                Map.of("presence", "online", "status_msg", "Checking schemas"), userId);
        c.call(200, "GET", V3 + "/presence/{userId}/status", null, null, userId);
        c.call(200, "POST", V3 + "/search", null, Map.of("search_categories", Map.of("room_events", Map.of(
                "search_term", "schema", "order_by", "recent", "include_state", true,
                "event_context", Map.of("before_limit", 2, "after_limit", 2, "include_profile", true),
                "groupings", Map.of("group_by", java.util.List.of(Map.of("key", "room_id")))))));

        JsonNode sync = c.call(200, "GET", V3 + "/sync", null, null);
        c.call(200, "PUT", V3 + "/rooms/{roomId}/typing/{userId}", null, Map.of("typing", false), roomId, userId);
        c.call(200, "GET", V3 + "/sync", "timeout=0&since=" + enc(sync.path("next_batch").asText()), null);
        c.call(404, "GET", V3 + "/rooms/{roomId}/event/{eventId}", null, null, roomId, "$missing:localhost");
        directories(c, roomId, username);
        c.call(400, "POST", V3 + "/rooms/{roomId}/upgrade", null, Map.of("new_version", "1"), roomId);
        String replacement = c.require(200, "POST", V3 + "/rooms/{roomId}/upgrade", null,
                Map.of("new_version", "11"), roomId).path("replacement_room").asText();
        c.call(403, "POST", V3 + "/rooms/{roomId}/upgrade", null, Map.of("new_version", "11"), "!elsewhere:localhost");
        c.call(200, "GET", V3 + "/rooms/{roomId}/state/{eventType}/{stateKey}", null, null,
                replacement, "m.room.create", "");

        c.call(200, "POST", V3 + "/logout", null, Map.of());
    }

    /** Room aliases, the public room directory and the user directory. */
    private static void directories(SpecClient c, String roomId, String username) {
        String alias = "#" + username + ":localhost";
        c.call(200, "PUT", V3 + "/directory/room/{roomAlias}", null, Map.of("room_id", roomId), alias);
        c.call(409, "PUT", V3 + "/directory/room/{roomAlias}", null, Map.of("room_id", roomId), alias);
        c.call(400, "PUT", V3 + "/directory/room/{roomAlias}", null, Map.of("room_id", roomId), "#x:elsewhere.example");
        c.call(200, "GET", V3 + "/directory/room/{roomAlias}", null, null, alias);
        c.call(400, "GET", V3 + "/directory/room/{roomAlias}", null, null, "not-an-alias");
        c.call(200, "GET", V3 + "/rooms/{roomId}/aliases", null, null, roomId);
        c.call(403, "GET", V3 + "/rooms/{roomId}/aliases", null, null, "!missing:localhost");
        c.call(200, "PUT", V3 + "/directory/list/room/{roomId}", null, Map.of("visibility", "public"), roomId);
        c.call(200, "GET", V3 + "/directory/list/room/{roomId}", null, null, roomId);
        c.call(404, "GET", V3 + "/directory/list/room/{roomId}", null, null, "!missing:localhost");
        c.call(404, "PUT", V3 + "/directory/list/room/{roomId}", null, Map.of("visibility", "public"),
                "!missing:localhost");
        c.call(200, "GET", V3 + "/publicRooms", "limit=10", null);
        c.call(200, "POST", V3 + "/publicRooms", null, Map.of("limit", 10,
                "filter", Map.of("generic_search_term", "schema")));
        c.call(200, "POST", V3 + "/user_directory/search", null, Map.of("search_term", "schema", "limit", 5));
        c.call(200, "DELETE", V3 + "/directory/room/{roomAlias}", null, null, alias);
        c.call(404, "DELETE", V3 + "/directory/room/{roomAlias}", null, null, alias);
        c.call(404, "GET", V3 + "/directory/room/{roomAlias}", null, null, alias);
    }

    /** Relations: a thread reply, an edit and a reaction, listed and bundled, and a redaction. */
    private static void relations(SpecClient c, String roomId, String eventId) {
        String v1 = "/_matrix/client/v1";
        String send = V3 + "/rooms/{roomId}/send/{eventType}/{txnId}";
        c.call(200, "PUT", send, null, Map.of("msgtype", "m.text", "body", "In a thread",
                "m.relates_to", Map.of("rel_type", "m.thread", "event_id", eventId)), roomId, "m.room.message", "txn-t");
        c.call(200, "PUT", send, null, Map.of("msgtype", "m.text", "body", "* Hello, edited",
                "m.new_content", Map.of("msgtype", "m.text", "body", "Hello, edited"),
                "m.relates_to", Map.of("rel_type", "m.replace", "event_id", eventId)), roomId, "m.room.message", "txn-e");
        String reaction = c.require(200, "PUT", send, null, Map.of("m.relates_to",
                Map.of("rel_type", "m.annotation", "event_id", eventId, "key", "👍")), roomId, "m.reaction", "txn-r")
                .path("event_id").asText();
        c.call(400, "PUT", send, null, Map.of("m.relates_to",
                Map.of("rel_type", "m.annotation", "event_id", eventId, "key", "👍")), roomId, "m.reaction", "txn-r2");
        c.call(200, "GET", v1 + "/rooms/{roomId}/relations/{eventId}", "limit=2", null, roomId, eventId);
        c.call(200, "GET", v1 + "/rooms/{roomId}/relations/{eventId}/{relType}", "recurse=true", null,
                roomId, eventId, "m.thread");
        c.call(200, "GET", v1 + "/rooms/{roomId}/relations/{eventId}/{relType}/{eventType}", "dir=f", null,
                roomId, eventId, "m.annotation", "m.reaction");
        c.call(404, "GET", v1 + "/rooms/{roomId}/relations/{eventId}", null, null, roomId, "$missing:localhost");
        c.call(200, "GET", v1 + "/rooms/{roomId}/threads", "include=participated&limit=5", null, roomId);
        c.call(200, "PUT", V3 + "/rooms/{roomId}/redact/{eventId}/{txnId}", null, Map.of("reason", "schema"),
                roomId, reaction, "txn-redact");
    }
}
