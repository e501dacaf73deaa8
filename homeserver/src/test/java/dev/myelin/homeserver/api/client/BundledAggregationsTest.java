package dev.myelin.homeserver.api.client;

import static dev.myelin.homeserver.api.client.RelationsTest.edit;
import static dev.myelin.homeserver.api.client.RelationsTest.react;
import static dev.myelin.homeserver.api.client.RelationsTest.relations;
import static dev.myelin.homeserver.api.client.RelationsTest.threadReply;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Bundled aggregations ({@code unsigned.m.relations}) on every endpoint that serves events, and
 * how redaction removes them, on both databases.
 */
class BundledAggregationsTest {
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

        /** The event as each serving endpoint returns it to {@code viewer}, keyed by endpoint. */
        private Map<String, JsonNode> servedEverywhere(TestUser viewer, String roomId, String eventId) {
            Map<String, JsonNode> served = new LinkedHashMap<>();
            String room = "/rooms/" + enc(roomId);
            served.put("/event", viewer.ok("GET", room + "/event/" + enc(eventId), null));
            JsonNode messages = viewer.ok("GET", room + "/messages?dir=b&limit=100", null);
            served.put("/messages", find(messages.path("chunk"), eventId));
            served.put("/context", viewer.ok("GET", room + "/context/" + enc(eventId), null).path("event"));
            JsonNode sync = viewer.sync("timeout=0&filter=" + enc("{\"room\":{\"timeline\":{\"limit\":100}}}"));
            served.put("/sync", byId(timeline(room(sync, "join", roomId)), eventId).orElseThrow());
            return served;
        }

        private static JsonNode find(JsonNode events, String eventId) {
            for (JsonNode e : events) {
                if (e.path("event_id").asText().equals(eventId)) {
                    return e;
                }
            }
            throw new AssertionError(eventId + " not in " + events);
        }

        @Test
        void editsThreadsAndReferencesAreBundledOnEveryEndpoint() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            TestUser carol = user("carol");
            String roomId = alice.publicRoomWith(bob, carol);
            String root = alice.say(roomId, "root");
            edit(alice, roomId, root, "first edit");
            String latestEdit = edit(alice, roomId, root, "second edit");
            threadReply(alice, roomId, root, "one");
            String lastReply = threadReply(bob, roomId, root, "two");
            String reference = bob.sendEvent(roomId, "m.key.verification.done", "ref-1",
                    Map.of("m.relates_to", Map.of("rel_type", "m.reference", "event_id", root)));
            react(carol, roomId, root, "👍");

            for (TestUser viewer : List.of(bob, carol)) {
                servedEverywhere(viewer, roomId, root).forEach((endpoint, event) -> {
                    JsonNode relations = event.path("unsigned").path("m.relations");
                    String where = endpoint + " for " + viewer.id() + ": " + event;
                    JsonNode replace = relations.path("m.replace");
                    assertEquals(latestEdit, replace.path("event_id").asText(), where);
                    assertEquals("second edit", replace.path("content").path("m.new_content").path("body").asText(), where);
                    assertEquals("root", event.path("content").path("body").asText(), "the original content stays: " + where);
                    JsonNode thread = relations.path("m.thread");
                    assertEquals(2, thread.path("count").asInt(), where);
                    assertEquals(lastReply, thread.path("latest_event").path("event_id").asText(), where);
                    assertEquals(viewer == bob, thread.path("current_user_participated").asBoolean(), where);
                    assertEquals(reference, relations.path("m.reference").path("chunk").path(0).path("event_id").asText(), where);
                    assertEquals(1, relations.path("m.reference").path("chunk").size(), where);
                    assertFalse(relations.has("m.annotation"), "annotations are not bundled: " + where);
                });
            }
            // The parent of a relation served by /relations carries its own bundle too.
            String editOfReply = edit(bob, roomId, lastReply, "two, edited");
            JsonNode reply = RelationsTest.relations(alice, roomId, root, "/m.thread").path("chunk").path(0);
            assertEquals(editOfReply, reply.path("unsigned").path("m.relations").path("m.replace").path("event_id").asText(),
                    reply.toString());
        }

        @Test
        void invalidEditsAreNotBundled() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String roomId = alice.publicRoomWith(bob);
            String root = alice.say(roomId, "root");
            edit(bob, roomId, root, "bob may not edit alice's message");
            alice.sendEvent(roomId, "m.room.message", "no-new-content", Map.of("msgtype", "m.text", "body", "* x",
                    "m.relates_to", Map.of("rel_type", "m.replace", "event_id", root)));
            alice.sendEvent(roomId, "m.sticker", "other-type", Map.of("body", "x", "m.new_content", Map.of("body", "x"),
                    "m.relates_to", Map.of("rel_type", "m.replace", "event_id", root)));
            servedEverywhere(alice, roomId, root).forEach((endpoint, event) ->
                    assertFalse(event.path("unsigned").has("m.relations"), endpoint + ": " + event));
            assertEquals(3, relations(alice, roomId, root, "/m.replace").path("chunk").size());
        }

        @Test
        void plainEventsCarryNoRelations() {
            TestUser alice = user("alice");
            String roomId = alice.publicRoomWith();
            String plain = alice.say(roomId, "nothing relates to me");
            servedEverywhere(alice, roomId, plain).forEach((endpoint, event) ->
                    assertFalse(event.path("unsigned").has("m.relations"), endpoint + ": " + event));
        }

        @Test
        void redactedRelationsLeaveTheAggregationsAndRedactedEventsHaveNone() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String roomId = alice.publicRoomWith(bob);
            String root = alice.say(roomId, "root");
            String firstEdit = edit(alice, roomId, root, "first edit");
            String secondEdit = edit(alice, roomId, root, "second edit");
            String reply1 = threadReply(bob, roomId, root, "one");
            String reply2 = threadReply(bob, roomId, root, "two");
            String reaction = react(bob, roomId, root, "👍");

            redact(alice, roomId, secondEdit, "r1");
            redact(bob, roomId, reply2, "r2");
            redact(bob, roomId, reaction, "r3");
            servedEverywhere(alice, roomId, root).forEach((endpoint, event) -> {
                JsonNode relations = event.path("unsigned").path("m.relations");
                assertEquals(firstEdit, relations.path("m.replace").path("event_id").asText(), endpoint + ": " + event);
                assertEquals(1, relations.path("m.thread").path("count").asInt(), endpoint + ": " + event);
                assertEquals(reply1, relations.path("m.thread").path("latest_event").path("event_id").asText());
            });
            assertEquals(List.of(reply1, firstEdit), RelationsTest.chunkIds(relations(alice, roomId, root, "")));

            redact(alice, roomId, root, "r4");
            servedEverywhere(bob, roomId, root).forEach((endpoint, event) -> {
                assertFalse(event.path("unsigned").has("m.relations"), endpoint + ": " + event);
                assertTrue(event.path("unsigned").has("redacted_because"), endpoint + ": " + event);
                assertEquals(0, event.path("content").size(), endpoint + ": " + event);
            });
        }

        private static String redact(TestUser user, String roomId, String eventId, String txnId) {
            return user.ok("PUT", "/rooms/" + enc(roomId) + "/redact/" + enc(eventId) + "/" + txnId,
                    Map.of("reason", "test")).path("event_id").asText();
        }
    }
}
