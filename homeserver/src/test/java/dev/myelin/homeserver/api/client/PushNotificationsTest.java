package dev.myelin.homeserver.api.client;

import static dev.myelin.homeserver.testing.SyncJson.room;
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

/**
 * Push rules at work: unread counts in {@code /sync}, highlights, counts restarting after a read
 * receipt or the user's own message, and {@code GET /notifications}, on both databases.
 */
class PushNotificationsTest {
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

        /** A room of {@code members}, created by the first, everyone joined. */
        private static String roomOf(List<TestUser> members) {
            String roomId = members.get(0).createRoom(Map.of("preset", "public_chat"));
            members.subList(1, members.size()).forEach(m -> m.join(roomId));
            return roomId;
        }

        private static JsonNode unread(TestUser user, String roomId) {
            return room(user.sync(""), "join", roomId).path("unread_notifications");
        }

        private static void assertCounts(int notifications, int highlights, JsonNode unread) {
            assertEquals(notifications + "/" + highlights, unread.path("notification_count").asInt(-1) + "/"
                    + unread.path("highlight_count").asInt(-1), unread.toString());
        }

        private String mention(TestUser sender, String roomId, TestUser mentioned) {
            return sender.sendEvent(roomId, "m.room.message", "m" + System.nanoTime(), Map.of("msgtype", "m.text",
                    "body", "hey you", "m.mentions", Map.of("user_ids", List.of(mentioned.id()))));
        }

        /** A read receipt, threaded when {@code threadId} is not null. */
        private static void read(TestUser user, String roomId, String threadId, String eventId) {
            user.ok("POST", "/rooms/" + enc(roomId) + "/receipt/m.read/" + enc(eventId),
                    threadId == null ? Map.of() : Map.of("thread_id", threadId));
        }

        @Test
        void messagesCountAndMentionsHighlightForEveryOtherMember() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            TestUser carol = user("carol");
            String roomId = roomOf(List.of(alice, bob, carol));
            JsonNode before = bob.sync("");
            assertCounts(0, 0, room(before, "join", roomId).path("unread_notifications"));
            alice.say(roomId, "hello both");
            mention(alice, roomId, bob);
            alice.sendEvent(roomId, "m.room.message", "notice", Map.of("msgtype", "m.notice", "body", "bot"));
            JsonNode after = bob.syncSince(before);
            assertCounts(2, 1, room(after, "join", roomId).path("unread_notifications"));
            assertCounts(2, 0, unread(carol, roomId));
            assertCounts(0, 0, unread(alice, roomId));
        }

        @Test
        void countsRestartAfterTheReadReceiptAndTheUsersOwnMessage() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String roomId = roomOf(List.of(alice, bob));
            alice.say(roomId, "one");
            String two = mention(alice, roomId, bob);
            alice.say(roomId, "three");
            assertCounts(3, 1, unread(bob, roomId));
            read(bob, roomId, null, two);
            assertCounts(1, 0, unread(bob, roomId));
            alice.say(roomId, "four");
            assertCounts(2, 0, unread(bob, roomId));
            bob.say(roomId, "I am here");
            assertCounts(0, 0, unread(bob, roomId));
            assertCounts(1, 0, unread(alice, roomId));
        }

        @Test
        void threadCountsAreSeparateWhenTheFilterAsksForThem() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String roomId = roomOf(List.of(alice, bob));
            String root = alice.say(roomId, "root");
            for (int i = 0; i < 2; i++) {
                alice.sendEvent(roomId, "m.room.message", "t" + i + System.nanoTime(), Map.of("msgtype", "m.text",
                        "body", "in thread", "m.relates_to", Map.of("rel_type", "m.thread", "event_id", root)));
            }
            assertCounts(3, 0, unread(bob, roomId));
            String filter = enc("{\"room\":{\"timeline\":{\"unread_thread_notifications\":true}}}");
            JsonNode joined = room(bob.sync("filter=" + filter), "join", roomId);
            assertCounts(1, 0, joined.path("unread_notifications"));
            assertCounts(2, 0, joined.path("unread_thread_notifications").path(root));
            read(bob, roomId, "main", root);
            joined = room(bob.sync("filter=" + filter), "join", roomId);
            assertCounts(0, 0, joined.path("unread_notifications"));
            assertCounts(2, 0, joined.path("unread_thread_notifications").path(root));
        }

        @Test
        void notificationsStayListedAfterTheyAreRead() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            TestUser carol = user("carol");
            String roomId = roomOf(List.of(alice, bob, carol));
            String first = alice.say(roomId, "one");
            mention(alice, roomId, bob);
            read(bob, roomId, null, first);
            carol.say(roomId, "from carol");
            JsonNode listed = bob.ok("GET", "/notifications", null);
            assertEquals(3, listed.path("notifications").size(), listed.toString());
            assertCounts(2, 1, unread(bob, roomId));
        }

        @Test
        void notificationsListNewestFirstWithActionsReadFlagAndPaging() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            TestUser carol = user("carol");
            String roomId = roomOf(List.of(alice, bob, carol));
            List<String> sent = new ArrayList<>();
            sent.add(alice.say(roomId, "first"));
            sent.add(mention(alice, roomId, bob));
            sent.add(carol.say(roomId, "third"));
            read(bob, roomId, null, sent.get(0));

            JsonNode all = bob.ok("GET", "/notifications", null);
            JsonNode list = all.path("notifications");
            assertEquals(List.of(sent.get(2), sent.get(1), sent.get(0)), eventIds(list));
            JsonNode mention = list.get(1);
            assertEquals(roomId, mention.path("room_id").asText());
            assertFalse(mention.path("read").asBoolean());
            assertTrue(list.get(2).path("read").asBoolean());
            assertTrue(mention.path("ts").asLong() > 0);
            assertEquals("notify", mention.path("actions").get(0).asText());
            assertEquals(alice.id(), mention.path("event").path("sender").asText());

            JsonNode highlights = bob.ok("GET", "/notifications?only=highlight", null);
            assertEquals(List.of(sent.get(1)), eventIds(highlights.path("notifications")));

            JsonNode page1 = bob.ok("GET", "/notifications?limit=2", null);
            assertEquals(List.of(sent.get(2), sent.get(1)), eventIds(page1.path("notifications")));
            String next = page1.path("next_token").asText();
            JsonNode page2 = bob.ok("GET", "/notifications?limit=2&from=" + enc(next), null);
            assertEquals(List.of(sent.get(0)), eventIds(page2.path("notifications")));
            assertTrue(page2.path("next_token").isMissingNode());

            assertEquals(0, alice.ok("GET", "/notifications", null).path("notifications").size() - 1,
                    "alice was notified only by carol's message");
            bob.fails(400, "M_INVALID_PARAM", "GET", "/notifications?from=nonsense", null);
            bob.fails(400, "M_INVALID_PARAM", "GET", "/notifications?limit=0", null);
            bob.fails(400, "M_INVALID_PARAM", "GET", "/notifications?only=everything", null);
        }

        @Test
        void anInviteNotifiesTheInvitee() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String roomId = alice.createRoom(Map.of("preset", "private_chat"));
            alice.membership("invite", roomId, bob);
            JsonNode list = bob.ok("GET", "/notifications", null).path("notifications");
            assertEquals(1, list.size(), list.toString());
            assertEquals("invite", list.get(0).path("event").path("content").path("membership").asText());
        }

        private static List<String> eventIds(JsonNode notifications) {
            List<String> ids = new ArrayList<>();
            notifications.forEach(n -> ids.add(n.path("event").path("event_id").asText()));
            return ids;
        }
    }
}
