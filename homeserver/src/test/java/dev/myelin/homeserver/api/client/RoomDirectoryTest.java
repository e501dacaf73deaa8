package dev.myelin.homeserver.api.client;

import static dev.myelin.homeserver.testing.TestUser.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.homeserver.testing.ServerPerClass;
import dev.myelin.homeserver.testing.TestServer;
import dev.myelin.homeserver.testing.TestUser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The public room directory over HTTP: {@code /publicRooms} and {@code /directory/list/room/{roomId}}. */
class RoomDirectoryTest {
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
            return "w" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        }

        private static String list(String roomId) {
            return "/directory/list/room/" + enc(roomId);
        }

        @Test
        void publicVisibilityAtCreationPublishesAndEntriesDescribeTheRoom() throws Exception {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String word = word();
            String localpart = "dir-" + word;
            String roomId = alice.createRoom(Map.of("visibility", "public", "preset", "public_chat",
                    "name", "Room " + word, "topic", "About things", "room_alias_name", localpart));
            bob.join(roomId);
            alice.setState(roomId, "m.room.avatar", "", Map.of("url", "mxc://localhost/avatar"));
            String hidden = alice.createRoom(Map.of("preset", "public_chat", "name", "Hidden " + word));

            assertEquals("public", anonymous("GET", list(roomId)).path("visibility").asText());
            assertEquals("private", anonymous("GET", list(hidden)).path("visibility").asText());
            JsonNode found = search(alice, word, null, null);
            assertEquals(1, found.path("chunk").size(), found.toString());
            JsonNode entry = found.path("chunk").path(0);
            assertEquals(roomId, entry.path("room_id").asText());
            assertEquals("Room " + word, entry.path("name").asText());
            assertEquals("About things", entry.path("topic").asText());
            assertEquals("#" + localpart + ":localhost", entry.path("canonical_alias").asText());
            assertEquals(2, entry.path("num_joined_members").asInt());
            assertEquals("public", entry.path("join_rule").asText());
            assertEquals("mxc://localhost/avatar", entry.path("avatar_url").asText());
            assertFalse(entry.path("world_readable").asBoolean(true));
            assertFalse(entry.path("guest_can_join").asBoolean(true));
            assertEquals(1, found.path("total_room_count_estimate").asInt());

            JsonNode all = anonymous("GET", "/publicRooms");
            assertTrue(roomIds(all).contains(roomId), all.toString());
            assertFalse(roomIds(all).contains(hidden), all.toString());
        }

        @Test
        void searchMatchesNameTopicAndAliasIgnoringCaseAndFiltersRoomTypes() {
            TestUser alice = user("alice");
            String word = word();
            String byName = publish(alice, Map.of("name", "Name " + word.toUpperCase()));
            String byTopic = publish(alice, Map.of("topic", "topic " + word));
            String byAlias = publish(alice, Map.of("room_alias_name", "alias-" + word));
            String space = publish(alice, Map.of("name", "Space " + word, "creation_content", Map.of("type", "m.space")));
            publish(alice, Map.of("name", "Unrelated room"));

            assertEquals(List.of(byName, byTopic, byAlias, space).stream().sorted().toList(),
                    roomIds(search(alice, word, null, null)).stream().sorted().toList());
            assertEquals(List.of(space), roomIds(search(alice, word, List.of("m.space"), null)));
            assertEquals(List.of(byName, byTopic, byAlias).stream().sorted().toList(),
                    roomIds(search(alice, word, Arrays.asList((String) null), null)).stream().sorted().toList());
            assertEquals("m.space", search(alice, word, List.of("m.space"), null).path("chunk").path(0)
                    .path("room_type").asText());
        }

        @Test
        void roomsAreOrderedByJoinedMembersAndPaginateBothWays() {
            TestUser alice = user("alice");
            List<TestUser> others = List.of(user("bob"), user("carol"), user("dan"));
            String word = word();
            List<String> expected = new ArrayList<>();
            for (int members = 4; members >= 1; members--) {
                String roomId = publish(alice, Map.of("name", word + " " + members, "preset", "public_chat"));
                for (TestUser other : others.subList(0, members - 1)) {
                    other.join(roomId);
                }
                expected.add(roomId);
            }
            JsonNode first = search(alice, word, null, 2);
            assertEquals(expected.subList(0, 2), roomIds(first));
            assertFalse(first.has("prev_batch"));
            assertEquals(4, first.path("total_room_count_estimate").asInt());
            JsonNode second = search(alice, word, null, 2, first.path("next_batch").asText());
            assertEquals(expected.subList(2, 4), roomIds(second));
            assertFalse(second.has("next_batch"), second.toString());
            JsonNode back = search(alice, word, null, 2, second.path("prev_batch").asText());
            assertEquals(expected.subList(0, 2), roomIds(back));

            JsonNode page = alice.ok("GET", "/publicRooms?limit=1", null);
            assertEquals(1, page.path("chunk").size());
            assertTrue(page.has("next_batch"));
            JsonNode next = alice.ok("GET", "/publicRooms?limit=1&since=" + enc(page.path("next_batch").asText()), null);
            assertEquals(1, next.path("chunk").size());
            assertFalse(roomIds(page).equals(roomIds(next)));
        }

        @Test
        void visibilityChangesNeedPowerInTheRoom() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            TestUser carol = user("carol");
            String word = word();
            String roomId = alice.createRoom(Map.of("preset", "public_chat", "name", word));
            bob.join(roomId);
            bob.fails(403, "M_FORBIDDEN", "PUT", list(roomId), Map.of("visibility", "public"));
            carol.fails(403, "M_FORBIDDEN", "PUT", list(roomId), Map.of("visibility", "public"));
            assertEquals(List.of(), roomIds(search(alice, word, null, null)));

            alice.ok("PUT", list(roomId), Map.of("visibility", "public"));
            assertEquals("public", alice.ok("GET", list(roomId), null).path("visibility").asText());
            assertEquals(List.of(roomId), roomIds(search(bob, word, null, null)));
            alice.ok("PUT", list(roomId), Map.of("visibility", "private"));
            assertEquals("private", alice.ok("GET", list(roomId), null).path("visibility").asText());
            assertEquals(List.of(), roomIds(search(bob, word, null, null)));
            alice.ok("PUT", list(roomId), Map.of());
            assertEquals("public", alice.ok("GET", list(roomId), null).path("visibility").asText());
        }

        @Test
        void badRequestsAreRefused() {
            TestUser alice = user("alice");
            String roomId = alice.createRoom(Map.of());
            alice.fails(404, "M_NOT_FOUND", "GET", list("!missing:localhost"), null);
            alice.fails(404, "M_NOT_FOUND", "PUT", list("!missing:localhost"), Map.of("visibility", "public"));
            alice.fails(400, "M_INVALID_PARAM", "GET", list("missing"), null);
            alice.fails(400, "M_INVALID_PARAM", "PUT", list(roomId), Map.of("visibility", "secret"));
            alice.fails(400, "M_BAD_JSON", "PUT", list(roomId), Map.of("visibility", 1));
            alice.fails(400, "M_INVALID_PARAM", "GET", "/publicRooms?since=bogus", null);
            alice.fails(400, "M_INVALID_PARAM", "GET", "/publicRooms?limit=many", null);
            alice.fails(400, "M_BAD_JSON", "POST", "/publicRooms", Map.of("limit", "many"));
            alice.fails(400, "M_BAD_JSON", "POST", "/publicRooms", Map.of("filter", "x"));
            alice.fails(404, "M_NOT_FOUND", "GET", "/publicRooms?server=other.example", null);
            alice.fails(400, "M_INVALID_PARAM", "POST", "/createRoom", Map.of("visibility", "secret"));
        }

        private String publish(TestUser user, Map<String, ?> request) {
            Map<String, Object> body = new HashMap<>(request);
            body.put("visibility", "public");
            return user.createRoom(body);
        }

        private static JsonNode search(TestUser user, String term, List<String> roomTypes, Integer limit) {
            return search(user, term, roomTypes, limit, null);
        }

        private static JsonNode search(TestUser user, String term, List<String> roomTypes, Integer limit,
                                       String since) {
            Map<String, Object> filter = new HashMap<>();
            filter.put("generic_search_term", term);
            if (roomTypes != null) {
                filter.put("room_types", roomTypes);
            }
            Map<String, Object> body = new HashMap<>(Map.of("filter", filter));
            if (limit != null) {
                body.put("limit", limit);
            }
            if (since != null) {
                body.put("since", since);
            }
            return user.ok("POST", "/publicRooms", body);
        }

        private static List<String> roomIds(JsonNode response) {
            List<String> ids = new ArrayList<>();
            response.path("chunk").forEach(room -> ids.add(room.path("room_id").asText()));
            return ids;
        }

        private JsonNode anonymous(String method, String path) throws Exception {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server().baseUrl() + "/_matrix/client/v3" + path))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            return new ObjectMapper().readTree(response.body());
        }
    }
}
