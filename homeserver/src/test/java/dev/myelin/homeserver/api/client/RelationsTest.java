package dev.myelin.homeserver.api.client;

import static dev.myelin.homeserver.testing.SyncJson.byId;
import static dev.myelin.homeserver.testing.SyncJson.room;
import static dev.myelin.homeserver.testing.SyncJson.timeline;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/rooms/{roomId}/relations/...} and sending relations, on both databases. */
class RelationsTest {
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

    private static final AtomicInteger TXN = new AtomicInteger();

    static String react(TestUser user, String roomId, String target, String key) {
        return user.sendEvent(roomId, "m.reaction", "r" + TXN.incrementAndGet(),
                Map.of("m.relates_to", Map.of("rel_type", "m.annotation", "event_id", target, "key", key)));
    }

    static String threadReply(TestUser user, String roomId, String root, String body) {
        return user.sendEvent(roomId, "m.room.message", "t" + TXN.incrementAndGet(), Map.of("msgtype", "m.text",
                "body", body, "m.relates_to", Map.of("rel_type", "m.thread", "event_id", root)));
    }

    static String edit(TestUser user, String roomId, String target, String body) {
        return user.sendEvent(roomId, "m.room.message", "e" + TXN.incrementAndGet(), Map.of("msgtype", "m.text",
                "body", "* " + body, "m.new_content", Map.of("msgtype", "m.text", "body", body),
                "m.relates_to", Map.of("rel_type", "m.replace", "event_id", target)));
    }

    static JsonNode relations(TestUser user, String roomId, String eventId, String suffixAndQuery) {
        return user.okV1("GET", "/rooms/" + enc(roomId) + "/relations/" + enc(eventId) + suffixAndQuery, null);
    }

    static List<String> chunkIds(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("chunk").forEach(e -> ids.add(e.path("event_id").asText()));
        return ids;
    }

    abstract static class Behaviour extends ServerPerClass {
        Behaviour(Supplier<TestServer> start) {
            super(start);
        }

        @Test
        void relationsAreListedNewestFirstAndFilteredByRelTypeAndEventType() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String roomId = alice.publicRoomWith(bob);
            String root = alice.say(roomId, "root");
            String reaction = react(bob, roomId, root, "👍");
            String editId = edit(alice, roomId, root, "root, edited");
            String reply1 = threadReply(bob, roomId, root, "one");
            String reply2 = threadReply(alice, roomId, root, "two");
            alice.say(roomId, "unrelated");

            assertEquals(List.of(reply2, reply1, editId, reaction), chunkIds(relations(alice, roomId, root, "")));
            assertEquals(List.of(reaction, editId, reply1, reply2),
                    chunkIds(relations(alice, roomId, root, "?dir=f")));
            assertEquals(List.of(reply2, reply1), chunkIds(relations(bob, roomId, root, "/m.thread")));
            assertEquals(List.of(reaction), chunkIds(relations(bob, roomId, root, "/m.annotation/m.reaction")));
            assertEquals(List.of(), chunkIds(relations(bob, roomId, root, "/m.annotation/m.room.message")));
            JsonNode page = relations(alice, roomId, root, "");
            assertFalse(page.has("next_batch"), page.toString());
            assertFalse(page.has("recursion_depth"), page.toString());
        }

        @Test
        void pagesFollowNextBatchInBothDirections() {
            TestUser alice = user("alice");
            String roomId = alice.publicRoomWith();
            String root = alice.say(roomId, "root");
            List<String> replies = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                replies.add(threadReply(alice, roomId, root, "reply " + i));
            }
            for (String dir : List.of("b", "f")) {
                List<String> seen = new ArrayList<>();
                JsonNode page = relations(alice, roomId, root, "/m.thread?limit=2&dir=" + dir);
                int pages = 1;
                seen.addAll(chunkIds(page));
                while (page.has("next_batch")) {
                    String from = page.get("next_batch").asText();
                    page = relations(alice, roomId, root, "/m.thread?limit=2&dir=" + dir + "&from=" + enc(from));
                    assertEquals(from, page.path("prev_batch").asText());
                    seen.addAll(chunkIds(page));
                    pages++;
                }
                List<String> expected = new ArrayList<>(replies);
                if (dir.equals("b")) {
                    java.util.Collections.reverse(expected);
                }
                assertEquals(expected, seen, dir);
                assertTrue(pages >= 3, "pages: " + pages);
            }
            // A /sync next_batch is a valid from token: nothing newer than it to list backwards from.
            String since = alice.sync("timeout=0").get("next_batch").asText();
            String later = threadReply(alice, roomId, root, "later");
            assertEquals(List.of(later), chunkIds(relations(alice, roomId, root, "/m.thread?dir=f&from=" + enc(since))));
            assertEquals(replies.reversed(), chunkIds(relations(alice, roomId, root, "/m.thread?from=" + enc(since))));
        }

        @Test
        void recurseFollowsRelationsOfRelations() {
            TestUser alice = user("alice");
            String roomId = alice.publicRoomWith();
            String root = alice.say(roomId, "root");
            String reply = threadReply(alice, roomId, root, "in thread");
            String reactionToReply = react(alice, roomId, reply, "🎉");
            String editOfReply = edit(alice, roomId, reply, "in thread, edited");

            assertEquals(List.of(reply), chunkIds(relations(alice, roomId, root, "")));
            JsonNode recursive = relations(alice, roomId, root, "?recurse=true");
            assertEquals(List.of(editOfReply, reactionToReply, reply), chunkIds(recursive));
            assertEquals(3, recursive.path("recursion_depth").asInt());
            assertEquals(List.of(reactionToReply), chunkIds(relations(alice, roomId, root, "/m.annotation?recurse=true")));
        }

        @Test
        void badRequestsAreMatrixErrors() {
            TestUser alice = user("alice");
            TestUser stranger = user("stranger");
            String roomId = alice.publicRoomWith();
            String root = alice.say(roomId, "root");
            String base = "/rooms/" + enc(roomId) + "/relations/";
            assertError(alice.callV1("GET", base + enc("$unknown:example.org"), null), 404, "M_NOT_FOUND");
            assertError(stranger.callV1("GET", base + enc(root), null), 403, "M_FORBIDDEN");
            assertError(alice.callV1("GET", base + enc(root) + "?dir=x", null), 400, "M_INVALID_PARAM");
            assertError(alice.callV1("GET", base + enc(root) + "?from=nonsense", null), 400, "M_INVALID_PARAM");
            assertError(alice.callV1("GET", base + enc(root) + "?limit=-1", null), 400, "M_INVALID_PARAM");
            assertError(alice.callV1("GET", base + enc(root) + "?recurse=maybe", null), 400, "M_INVALID_PARAM");
            assertError(alice.callV1("GET", base + "not-an-event-id", null), 400, "M_INVALID_PARAM");
        }

        @Test
        void formerMembersSeeOnlyRelationsUpToTheirDeparture() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String roomId = alice.publicRoomWith(bob);
            String root = alice.say(roomId, "root");
            String before = threadReply(alice, roomId, root, "before bob left");
            bob.leave(roomId);
            String after = threadReply(alice, roomId, root, "after bob left");
            assertEquals(List.of(after, before), chunkIds(relations(alice, roomId, root, "")));
            assertEquals(List.of(before), chunkIds(relations(bob, roomId, root, "")));
            JsonNode thread = bob.ok("GET", "/rooms/" + enc(roomId) + "/event/" + enc(root), null)
                    .path("unsigned").path("m.relations").path("m.thread");
            assertEquals(1, thread.path("count").asInt(), thread.toString());
            assertEquals(before, thread.path("latest_event").path("event_id").asText());
        }

        @Test
        void aSecondIdenticalReactionIsRefusedButItsRetryIsNot() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String roomId = alice.publicRoomWith(bob);
            String root = alice.say(roomId, "root");
            Map<String, ?> thumbsUp = Map.of("m.relates_to",
                    Map.of("rel_type", "m.annotation", "event_id", root, "key", "👍"));
            String first = bob.sendEvent(roomId, "m.reaction", "dup-1", thumbsUp);
            assertEquals(first, bob.sendEvent(roomId, "m.reaction", "dup-1", thumbsUp));
            bob.fails(400, "M_DUPLICATE_ANNOTATION", "PUT",
                    "/rooms/" + enc(roomId) + "/send/m.reaction/dup-2", thumbsUp);
            react(bob, roomId, root, "❤️");
            react(alice, roomId, root, "👍");
            bob.ok("PUT", "/rooms/" + enc(roomId) + "/redact/" + enc(first) + "/undo", Map.of());
            String again = bob.sendEvent(roomId, "m.reaction", "dup-3", thumbsUp);
            assertEquals(3, relations(alice, roomId, root, "/m.annotation").path("chunk").size());
            assertTrue(chunkIds(relations(alice, roomId, root, "/m.annotation")).contains(again));
        }

        private static void assertError(TestUser.Response response, int status, String errcode) {
            assertEquals(status + " " + errcode, response.status() + " " + response.errcode(), response.json().toString());
        }
    }
}
