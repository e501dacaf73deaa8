package dev.myelin.homeserver.api.client;

import static dev.myelin.homeserver.api.client.RelationsTest.chunkIds;
import static dev.myelin.homeserver.api.client.RelationsTest.threadReply;
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

/** {@code GET /v1/rooms/{roomId}/threads}, on both databases. */
class ThreadsTest {
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

        private static JsonNode threads(TestUser user, String roomId, String query) {
            return user.okV1("GET", "/rooms/" + enc(roomId) + "/threads" + query, null);
        }

        @Test
        void threadsAreListedByLatestActivityWithTheirSummaries() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String roomId = alice.createRoom(Map.of("preset", "public_chat"));
            bob.join(roomId);
            String first = alice.say(roomId, "first root");
            String second = bob.say(roomId, "second root");
            String third = alice.say(roomId, "third root, no replies");
            threadReply(alice, roomId, first, "a1");
            threadReply(alice, roomId, second, "b1");
            String latest = threadReply(alice, roomId, first, "a2");

            JsonNode all = threads(bob, roomId, "");
            assertEquals(List.of(first, second), chunkIds(all));
            assertFalse(chunkIds(all).contains(third));
            JsonNode summary = all.path("chunk").path(0).path("unsigned").path("m.relations").path("m.thread");
            assertEquals(2, summary.path("count").asInt(), summary.toString());
            assertEquals(latest, summary.path("latest_event").path("event_id").asText());
            assertFalse(summary.path("current_user_participated").asBoolean());
            assertTrue(all.path("chunk").path(1).path("unsigned").path("m.relations").path("m.thread")
                    .path("current_user_participated").asBoolean(), "bob started the second thread");

            assertEquals(List.of(second), chunkIds(threads(bob, roomId, "?include=participated")));
            assertEquals(List.of(first, second), chunkIds(threads(alice, roomId, "?include=participated")));
        }

        @Test
        void pagesFollowNextBatch() {
            TestUser alice = user("alice");
            String roomId = alice.createRoom(Map.of("preset", "public_chat"));
            List<String> roots = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String root = alice.say(roomId, "root " + i);
                threadReply(alice, roomId, root, "reply " + i);
                roots.add(0, root);
            }
            // Reviving the oldest thread moves it to the front.
            threadReply(alice, roomId, roots.get(4), "revived");
            roots.add(0, roots.remove(4));
            List<String> seen = new ArrayList<>();
            JsonNode page = threads(alice, roomId, "?limit=2");
            seen.addAll(chunkIds(page));
            while (page.has("next_batch")) {
                page = threads(alice, roomId, "?limit=2&from=" + enc(page.get("next_batch").asText()));
                seen.addAll(chunkIds(page));
            }
            assertEquals(roots, seen);
        }

        @Test
        void badRequestsAreMatrixErrors() {
            TestUser alice = user("alice");
            TestUser stranger = user("stranger");
            String roomId = alice.createRoom(Map.of());
            String path = "/rooms/" + enc(roomId) + "/threads";
            assertEquals(400, alice.callV1("GET", path + "?include=some", null).status());
            assertEquals("M_INVALID_PARAM", alice.callV1("GET", path + "?limit=0", null).errcode());
            assertEquals("M_INVALID_PARAM", alice.callV1("GET", path + "?from=x", null).errcode());
            assertEquals("M_FORBIDDEN", stranger.callV1("GET", path, null).errcode());
        }
    }
}
