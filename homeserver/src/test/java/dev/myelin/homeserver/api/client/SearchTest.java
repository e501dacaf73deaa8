package dev.myelin.homeserver.api.client;

import static dev.myelin.homeserver.testing.TestUser.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.homeserver.schema.SpecSchemas;
import dev.myelin.homeserver.testing.ServerPerClass;
import dev.myelin.homeserver.testing.TestServer;
import dev.myelin.homeserver.testing.TestUser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@code POST /search} over HTTP, on both databases. */
class SearchTest {
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

        static Map<String, Object> criteria(String term, Object... extra) {
            Map<String, Object> roomEvents = new HashMap<>();
            roomEvents.put("search_term", term);
            for (int i = 0; i < extra.length; i += 2) {
                roomEvents.put((String) extra[i], extra[i + 1]);
            }
            return Map.of("search_categories", Map.of("room_events", roomEvents));
        }

        static JsonNode search(TestUser user, Map<String, Object> body) {
            return search(user, body, null);
        }

        static JsonNode search(TestUser user, Map<String, Object> body, String nextBatch) {
            JsonNode response = user.ok("POST", "/search" + (nextBatch == null ? "" : "?next_batch=" + enc(nextBatch)),
                    body);
            List<String> problems = SpecSchemas.clientServer().validateResponse("/_matrix/client/v3/search", "POST",
                    200, response);
            assertEquals(List.of(), problems, "search response does not match the specification: " + response);
            return response.path("search_categories").path("room_events");
        }

        static List<String> resultIds(JsonNode roomEvents) {
            List<String> ids = new ArrayList<>();
            roomEvents.path("results").forEach(r -> ids.add(r.path("result").path("event_id").asText()));
            return ids;
        }

        @Test
        void findsMessagesByStemmedWordsNewestFirstWhenRecent() {
            TestUser alice = user("alice");
            String room = alice.createRoom(Map.of("preset", "private_chat"));
            String first = alice.say(room, "The quokkas are smiling");
            alice.say(room, "nothing to see");
            String second = alice.say(room, "one quokka smiles");
            JsonNode found = search(alice, criteria("Quokka", "order_by", "recent"));
            assertEquals(List.of(second, first), resultIds(found));
            assertEquals(2, found.path("count").asInt());
            assertEquals(List.of("quokka"), List.of(found.path("highlights").get(0).asText()));
            assertEquals(room, found.path("results").get(0).path("result").path("room_id").asText());
            assertFalse(found.has("next_batch"));
        }

        @Test
        void rankOrderPutsTheBestMatchFirst() {
            TestUser alice = user("alice");
            String room = alice.createRoom(Map.of("preset", "private_chat"));
            alice.say(room, "a wombat was here yesterday, and many other animals besides it");
            String best = alice.say(room, "wombat wombat wombat");
            alice.say(room, "one wombat");
            JsonNode found = search(alice, criteria("wombat"));
            assertEquals(best, resultIds(found).get(0));
            double previous = Double.MAX_VALUE;
            for (JsonNode result : found.path("results")) {
                assertTrue(result.path("rank").asDouble() <= previous);
                previous = result.path("rank").asDouble();
            }
        }

        @Test
        void nextBatchContinuesInBothOrders() {
            TestUser alice = user("alice");
            String room = alice.createRoom(Map.of("preset", "private_chat"));
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                sent.add(alice.say(room, "platypus number " + i));
            }
            Map<String, Object> filter = Map.of("limit", 2);
            for (String order : List.of("recent", "rank")) {
                List<String> seen = new ArrayList<>();
                JsonNode page = search(alice, criteria("platypus", "order_by", order, "filter", filter));
                seen.addAll(resultIds(page));
                while (page.has("next_batch")) {
                    page = search(alice, criteria("platypus", "order_by", order, "filter", filter),
                            page.path("next_batch").asText());
                    seen.addAll(resultIds(page));
                }
                assertEquals(5, seen.size(), order + ": " + seen);
                assertEquals(new java.util.HashSet<>(sent), new java.util.HashSet<>(seen), order);
                if (order.equals("recent")) {
                    assertEquals(sent.reversed(), seen);
                }
            }
            alice.fails(400, "M_INVALID_PARAM", "POST", "/search?next_batch=bogus", criteria("platypus"));
        }

        @Test
        void contextHasNeighboursTokensAndProfiles() {
            TestUser alice = user("alice");
            String room = alice.createRoom(Map.of("preset", "private_chat"));
            alice.ok("PUT", "/profile/" + enc(alice.id()) + "/displayname", Map.of("displayname", "Alice A."));
            String before = alice.say(room, "before it");
            String hit = alice.say(room, "the echidna");
            String after1 = alice.say(room, "after it");
            alice.say(room, "long after it");
            JsonNode result = search(alice, criteria("echidna", "event_context",
                    Map.of("before_limit", 1, "after_limit", 1, "include_profile", true))).path("results").get(0);
            assertEquals(hit, result.path("result").path("event_id").asText());
            JsonNode context = result.path("context");
            assertEquals(List.of(before), ids(context.path("events_before")));
            assertEquals(List.of(after1), ids(context.path("events_after")));
            assertTrue(context.path("start").asText().startsWith("s"));
            assertTrue(context.path("end").asText().startsWith("s"));
            assertEquals("Alice A.", context.path("profile_info").path(alice.id()).path("displayname").asText());
            JsonNode messages = alice.ok("GET", "/rooms/" + enc(room) + "/messages?dir=f&limit=5&from="
                    + enc(context.path("end").asText()), null);
            assertEquals("long after it", messages.path("chunk").get(0).path("content").path("body").asText());
        }

        @Test
        void filtersKeysStateAndGroups() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String one = alice.createRoom(Map.of("preset", "public_chat", "name", "Narwhal lounge"));
            String two = alice.createRoom(Map.of("preset", "public_chat", "topic", "narwhal facts"));
            bob.join(one);
            bob.join(two);
            String aliceSays = alice.say(one, "narwhal tusks");
            String bobSays = bob.say(two, "a narwhal!");
            assertEquals(List.of(bobSays), resultIds(search(alice, criteria("narwhal", "order_by", "recent",
                    "filter", Map.of("senders", List.of(bob.id()))))));
            assertEquals(List.of(aliceSays), resultIds(search(alice, criteria("narwhal", "order_by", "recent",
                    "filter", Map.of("rooms", List.of(one), "types", List.of("m.room.message"))))));
            assertEquals(List.of(bobSays, aliceSays), resultIds(search(alice, criteria("narwhal",
                    "order_by", "recent", "keys", List.of("content.body")))));
            assertEquals(1, search(alice, criteria("narwhal", "keys", List.of("content.name"))).path("count").asInt());
            assertEquals(1, search(alice, criteria("narwhal", "keys", List.of("content.topic"))).path("count").asInt());
            assertEquals(List.of(bobSays), resultIds(search(alice, criteria("narwhal", "order_by", "recent",
                    "filter", Map.of("not_rooms", List.of(one)), "keys", List.of("content.body")))));

            JsonNode withState = search(alice, criteria("tusks", "include_state", true,
                    "groupings", Map.of("group_by", List.of(Map.of("key", "room_id"), Map.of("key", "sender")))));
            assertTrue(withState.path("state").path(one).isArray());
            assertTrue(withState.path("state").path(one).size() > 3);
            assertEquals(aliceSays, withState.path("groups").path("room_id").path(one).path("results").get(0).asText());
            assertEquals(aliceSays, withState.path("groups").path("sender").path(alice.id()).path("results").get(0)
                    .asText());
        }

        @Test
        void redactedMessagesAndOtherPeoplesRoomsNeverMatch() {
            TestUser alice = user("alice");
            TestUser eve = user("eve");
            String room = alice.createRoom(Map.of("preset", "private_chat"));
            String secret = alice.say(room, "the axolotl password");
            alice.ok("PUT", "/rooms/" + enc(room) + "/redact/" + enc(secret) + "/r1", Map.of());
            String kept = alice.say(room, "an axolotl again");
            assertEquals(List.of(kept), resultIds(search(alice, criteria("axolotl"))));
            assertEquals(List.of(), resultIds(search(alice, criteria("password"))));
            assertEquals(List.of(), resultIds(search(eve, criteria("axolotl"))));
            assertEquals(0, search(eve, criteria("axolotl")).path("count").asInt());
        }

        @Test
        void aLeftRoomIsSearchedUpToTheDeparture() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String room = alice.createRoom(Map.of("preset", "public_chat"));
            bob.join(room);
            String seen = alice.say(room, "the capybara arrives");
            bob.leave(room);
            alice.say(room, "the capybara leaves");
            assertEquals(List.of(seen), resultIds(search(bob, criteria("capybara"))));
        }

        @Test
        void badRequestsAreMatrixErrors() {
            TestUser alice = user("alice");
            alice.fails(400, "M_BAD_JSON", "POST", "/search", Map.of());
            alice.fails(400, "M_BAD_JSON", "POST", "/search", Map.of("search_categories", Map.of("room_events",
                    Map.of("keys", List.of("content.body")))));
            alice.fails(400, "M_INVALID_PARAM", "POST", "/search", criteria("x", "order_by", "loudest"));
            alice.fails(400, "M_INVALID_PARAM", "POST", "/search", criteria("x", "keys", List.of("content.url")));
            alice.fails(400, "M_BAD_JSON", "POST", "/search", criteria("x", "filter", Map.of("limit", "ten")));
            JsonNode empty = alice.ok("POST", "/search", Map.of("search_categories", Map.of()));
            assertEquals(0, empty.path("search_categories").size());
        }

        private static List<String> ids(JsonNode events) {
            List<String> ids = new ArrayList<>();
            events.forEach(e -> ids.add(e.path("event_id").asText()));
            return ids;
        }
    }
}
