package dev.myelin.homeserver.api.client;

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
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@code POST /user_directory/search} over HTTP: who finds whom, and by which words. */
class UserDirectoryTest {
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
        Behaviour(Supplier<TestServer> start) {
            super(start);
        }

        private static String word() {
            return "q" + UUID.randomUUID().toString().replace("-", "").substring(0, 9);
        }

        private static TestUser named(TestUser user, String displayname) {
            user.ok("PUT", "/profile/" + TestUser.enc(user.id()) + "/displayname", Map.of("displayname", displayname));
            return user;
        }

        @Test
        void membersOfASharedRoomAreFoundByWordPrefixesIgnoringCase() {
            String surname = word();
            TestUser alice = user("alice");
            TestUser bob = named(user("bob"), "Bobby " + surname.toUpperCase());
            String roomId = alice.createRoom(Map.of("preset", "private_chat"));
            alice.membership("invite", roomId, bob);
            bob.join(roomId);
            bob.ok("PUT", "/profile/" + TestUser.enc(bob.id()) + "/avatar_url", Map.of("avatar_url", "mxc://localhost/bob"));

            JsonNode found = search(alice, surname.substring(0, 5), null);
            assertEquals(List.of(bob.id()), ids(found));
            assertEquals("Bobby " + surname.toUpperCase(), found.path("results").path(0).path("display_name").asText());
            assertEquals("mxc://localhost/bob", found.path("results").path(0).path("avatar_url").asText());
            assertFalse(found.path("limited").asBoolean(true));
            assertEquals(List.of(bob.id()), ids(search(alice, "bobby " + surname, null)));
            assertEquals(List.of(bob.id()), ids(search(alice, bob.id(), null)));
            assertEquals(List.of(), ids(search(alice, surname.substring(2), null)), "not the middle of a word");
            assertEquals(List.of(), ids(search(alice, "bobby " + word(), null)), "every word must match");
        }

        @Test
        void strangersAreFoundOnlyThroughPublicRooms() {
            String name = word();
            TestUser alice = user("alice");
            TestUser carol = named(user("carol"), "Carol " + name);
            String privateRoom = carol.createRoom(Map.of("preset", "private_chat"));
            assertEquals(List.of(), ids(search(alice, name, null)));

            String publicRoom = carol.createRoom(Map.of("preset", "public_chat"));
            assertEquals(List.of(carol.id()), ids(search(alice, name, null)));
            carol.setState(publicRoom, "m.room.join_rules", "", Map.of("join_rule", "invite"));
            assertEquals(List.of(), ids(search(alice, name, null)));
            carol.setState(privateRoom, "m.room.join_rules", "", Map.of("join_rule", "public"));
            assertEquals(List.of(carol.id()), ids(search(alice, name, null)));
            carol.leave(privateRoom);
            assertEquals(List.of(), ids(search(alice, name, null)));
        }

        @Test
        void displayNameChangesAreSearchable() {
            String before = word();
            String after = word();
            TestUser alice = user("alice");
            TestUser dave = named(user("dave"), before);
            String roomId = alice.createRoom(Map.of("preset", "public_chat"));
            dave.join(roomId);
            assertEquals(List.of(dave.id()), ids(search(alice, before, null)));
            named(dave, "Dave " + after);
            assertEquals(List.of(), ids(search(alice, before, null)));
            assertEquals(List.of(dave.id()), ids(search(alice, after, null)));
        }

        @Test
        void limitCutsTheResultsAndSaysSo() {
            String team = word();
            TestUser alice = user("alice");
            String roomId = alice.createRoom(Map.of("preset", "public_chat"));
            for (int i = 0; i < 3; i++) {
                named(user("member"), team + " " + i).join(roomId);
            }
            JsonNode limited = search(alice, team, 2);
            assertEquals(2, limited.path("results").size());
            assertTrue(limited.path("limited").asBoolean());
            JsonNode all = search(alice, team, null);
            assertEquals(3, all.path("results").size());
            assertFalse(all.path("limited").asBoolean());
        }

        @Test
        void badRequestsAreRefused() {
            TestUser alice = user("alice");
            alice.fails(400, "M_MISSING_PARAM", "POST", "/user_directory/search", Map.of());
            alice.fails(400, "M_BAD_JSON", "POST", "/user_directory/search", Map.of("search_term", 5));
            alice.fails(400, "M_BAD_JSON", "POST", "/user_directory/search", Map.of("search_term", "a", "limit", "x"));
            alice.fails(400, "M_INVALID_PARAM", "POST", "/user_directory/search", Map.of("search_term", "a", "limit", -1));
            assertEquals(List.of(), ids(search(alice, "%_", null)));
        }

        private static JsonNode search(TestUser user, String term, Integer limit) {
            return user.ok("POST", "/user_directory/search",
                    limit == null ? Map.of("search_term", term) : Map.of("search_term", term, "limit", limit));
        }

        private static List<String> ids(JsonNode response) {
            List<String> ids = new ArrayList<>();
            response.path("results").forEach(user -> ids.add(user.path("user_id").asText()));
            return ids;
        }
    }
}
