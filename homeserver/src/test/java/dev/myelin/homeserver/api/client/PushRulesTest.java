package dev.myelin.homeserver.api.client;

import static dev.myelin.homeserver.testing.TestUser.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.homeserver.testing.ServerPerClass;
import dev.myelin.homeserver.testing.TestServer;
import dev.myelin.homeserver.testing.TestUser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Push-rule CRUD under {@code /pushrules/global/}, and its echo to other devices, on both databases. */
class PushRulesTest {
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

    abstract static class Behaviour extends ServerPerClass {
        private static final List<String> NOTIFY = List.of("notify");

        Behaviour(Supplier<TestServer> start) {
            super(start);
        }

        private static List<String> ids(JsonNode rules) {
            List<String> ids = new ArrayList<>();
            rules.forEach(rule -> ids.add(rule.path("rule_id").asText()));
            return ids;
        }

        @Test
        void defaultsListTheSpecsRulesForTheUser() {
            TestUser alice = user("alice");
            JsonNode global = alice.ok("GET", "/pushrules/", null).path("global");
            assertEquals(global, alice.ok("GET", "/pushrules/global/", null));
            assertEquals(List.of(".m.rule.master", ".m.rule.suppress_notices", ".m.rule.invite_for_me",
                    ".m.rule.member_event", ".m.rule.is_user_mention", ".m.rule.contains_display_name",
                    ".m.rule.is_room_mention", ".m.rule.roomnotif", ".m.rule.tombstone", ".m.rule.reaction",
                    ".m.rule.room.server_acl", ".m.rule.suppress_edits"), ids(global.path("override")));
            assertEquals(List.of(".m.rule.call", ".m.rule.encrypted_room_one_to_one", ".m.rule.room_one_to_one",
                    ".m.rule.message", ".m.rule.encrypted"), ids(global.path("underride")));
            JsonNode userName = alice.ok("GET", "/pushrules/global/content/.m.rule.contains_user_name", null);
            assertEquals(alice.id().substring(1, alice.id().indexOf(':')), userName.path("pattern").asText());
        }

        @Test
        void userRulesAreCreatedOrderedAndDeleted() {
            TestUser alice = user("alice");
            alice.ok("PUT", "/pushrules/global/override/first", Map.of("actions", NOTIFY,
                    "conditions", List.of(Map.of("kind", "event_match", "key", "content.body", "pattern", "x"))));
            alice.ok("PUT", "/pushrules/global/override/second?after=first", Map.of("actions", NOTIFY));
            alice.ok("PUT", "/pushrules/global/override/zeroth?before=first", Map.of("actions", List.of()));
            alice.ok("PUT", "/pushrules/global/content/cake", Map.of("actions", NOTIFY, "pattern", "cake*"));
            alice.ok("PUT", "/pushrules/global/room/" + enc("!r:example.org"), Map.of("actions", List.of()));
            JsonNode global = alice.ok("GET", "/pushrules/global/", null);
            assertEquals(List.of(".m.rule.master", "zeroth", "first", "second"),
                    ids(global.path("override")).subList(0, 4));
            assertEquals(List.of("cake", ".m.rule.contains_user_name"), ids(global.path("content")));
            JsonNode first = alice.ok("GET", "/pushrules/global/override/first", null);
            assertEquals("content.body", first.path("conditions").get(0).path("key").asText());
            assertFalse(first.path("default").asBoolean());
            assertTrue(first.path("enabled").asBoolean());
            assertEquals("!r:example.org", alice.ok("GET", "/pushrules/global/room/" + enc("!r:example.org"), null)
                    .path("rule_id").asText());

            alice.ok("DELETE", "/pushrules/global/override/first", null);
            alice.fails(404, "M_NOT_FOUND", "GET", "/pushrules/global/override/first", null);
            alice.fails(404, "M_NOT_FOUND", "DELETE", "/pushrules/global/override/first", null);
            assertEquals(List.of(".m.rule.master", "zeroth", "second"),
                    ids(alice.ok("GET", "/pushrules/global/", null).path("override")).subList(0, 3));
        }

        @Test
        void badRulesAreRejected() {
            TestUser alice = user("alice");
            alice.fails(400, "M_INVALID_PARAM", "PUT", "/pushrules/global/override/.mine", Map.of("actions", NOTIFY));
            alice.fails(400, "M_INVALID_PARAM", "PUT", "/pushrules/global/sideways/r", Map.of("actions", NOTIFY));
            alice.fails(400, "M_BAD_JSON", "PUT", "/pushrules/global/override/r", Map.of());
            alice.fails(400, "M_INVALID_PARAM", "PUT", "/pushrules/global/override/r",
                    Map.of("actions", List.of("explode")));
            alice.fails(400, "M_BAD_JSON", "PUT", "/pushrules/global/content/r", Map.of("actions", NOTIFY));
            alice.fails(400, "M_UNKNOWN", "PUT", "/pushrules/global/override/r?before=nothing",
                    Map.of("actions", NOTIFY));
            alice.fails(400, "M_UNKNOWN", "PUT", "/pushrules/global/override/r?after=.m.rule.master",
                    Map.of("actions", NOTIFY));
            alice.fails(400, "M_INVALID_PARAM", "PUT", "/pushrules/global/sender/notauser", Map.of("actions", NOTIFY));
            alice.fails(400, "M_INVALID_PARAM", "DELETE", "/pushrules/global/override/.m.rule.master", null);
            alice.fails(404, "M_NOT_FOUND", "GET", "/pushrules/global/override/nothing/enabled", null);
            alice.fails(404, "M_NOT_FOUND", "PUT", "/pushrules/global/override/nothing/actions",
                    Map.of("actions", NOTIFY));
            alice.fails(400, "M_BAD_JSON", "PUT", "/pushrules/global/override/.m.rule.master/enabled",
                    Map.of("enabled", "yes"));
        }

        @Test
        void defaultRulesCanBeDisabledAndGivenOtherActionsAndOtherDevicesSeeIt() {
            TestUser alice = user("alice");
            TestUser phone = alice.newDevice();
            JsonNode before = phone.sync("");
            String rule = "/pushrules/global/underride/.m.rule.message";
            assertTrue(alice.ok("GET", rule + "/enabled", null).path("enabled").asBoolean());
            alice.ok("PUT", rule + "/enabled", Map.of("enabled", false));
            alice.ok("PUT", rule + "/actions", Map.of("actions", List.of("notify",
                    Map.of("set_tweak", "sound", "value", "bell"))));
            assertFalse(alice.ok("GET", rule + "/enabled", null).path("enabled").asBoolean());
            assertEquals("bell", alice.ok("GET", rule + "/actions", null).path("actions").get(1).path("value").asText());
            assertTrue(alice.ok("GET", rule, null).path("default").asBoolean());

            JsonNode after = phone.syncSince(before);
            JsonNode pushRules = null;
            for (JsonNode event : after.path("account_data").path("events")) {
                if (event.path("type").asText().equals("m.push_rules")) {
                    pushRules = event.path("content");
                }
            }
            assertEquals(alice.ok("GET", "/pushrules/", null), pushRules, "the other device syncs the rules");
        }
    }
}
