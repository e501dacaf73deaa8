package dev.myelin.homeserver.api.client;

import static dev.myelin.homeserver.testing.SyncJson.events;
import static dev.myelin.homeserver.testing.SyncJson.find;
import static dev.myelin.homeserver.testing.SyncJson.ids;
import static dev.myelin.homeserver.testing.SyncJson.members;
import static dev.myelin.homeserver.testing.SyncJson.room;
import static dev.myelin.homeserver.testing.SyncJson.state;
import static dev.myelin.homeserver.testing.SyncJson.timeline;
import static dev.myelin.homeserver.testing.TestUser.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.homeserver.service.sync.SyncToken;
import dev.myelin.homeserver.testing.ServerPerClass;
import dev.myelin.homeserver.testing.TestServer;
import dev.myelin.homeserver.testing.TestUser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@code GET /sync}: rooms, timelines, long-polling and membership changes, on both databases. */
class SyncBehaviourTest {
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

        @Test
        void initialSyncShowsTheJoinedRoomWithItsStateAndLatestTimeline() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String roomId = alice.createRoom(Map.of("preset", "public_chat", "name", "Initial"));
            bob.join(roomId);
            List<String> sent = new ArrayList<>();
            for (int i = 1; i <= 12; i++) {
                sent.add(alice.say(roomId, "m" + i));
            }
            JsonNode sync = alice.sync("");
            assertSyncMatchesSpec(sync);
            JsonNode joined = room(sync, "join", roomId);
            assertEquals(sent.subList(2, 12), ids(timeline(joined)), "the default timeline holds the latest 10");
            assertTrue(joined.path("timeline").path("limited").asBoolean());
            List<JsonNode> state = state(joined);
            assertEquals(alice.id(), find(state, "m.room.create", "").orElseThrow().path("sender").asText());
            assertEquals("Initial", find(state, "m.room.name", "").orElseThrow().path("content").path("name").asText());
            assertEquals(Set.of(alice.id(), bob.id()), Set.copyOf(members(state)));
            assertEquals("join", find(state, "m.room.member", bob.id()).orElseThrow()
                    .path("content").path("membership").asText());
            assertEquals(state.size(), Set.copyOf(ids(state)).size(), "no state event twice");
            assertEquals(2, joined.path("summary").path("m.joined_member_count").asInt());
            assertEquals(List.of(bob.id()), events(joined.path("summary").path("m.heroes")).stream()
                    .map(JsonNode::asText).toList());
        }

        @Test
        void incrementalSyncReturnsOnlyWhatIsNew() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String roomId = alice.createRoom(Map.of("preset", "public_chat"));
            bob.join(roomId);
            JsonNode before = alice.sync("");
            String message = bob.say(roomId, "hello");
            JsonNode after = alice.syncSince(before);
            assertSyncMatchesSpec(after);
            assertEquals(Set.of(roomId), fieldNames(after.path("rooms").path("join")));
            JsonNode joined = room(after, "join", roomId);
            assertEquals(List.of(message), ids(timeline(joined)));
            assertFalse(joined.path("timeline").path("limited").asBoolean(true));
            assertEquals(List.of(), state(joined));
            assertEquals(Set.of(), fieldNames(alice.syncSince(after).path("rooms").path("join")),
                    "nothing new the second time");
        }

        @Test
        void limitedTimelineContinuesThroughMessagesWithoutGapsOrDuplicates() {
            TestUser alice = user("alice");
            String roomId = alice.createRoom(Map.of());
            String filter = "filter=" + enc("{\"room\":{\"timeline\":{\"limit\":3}}}");
            JsonNode before = alice.sync(filter);
            List<String> sent = new ArrayList<>();
            for (int i = 1; i <= 7; i++) {
                sent.add(alice.say(roomId, "m" + i));
            }
            JsonNode after = alice.sync(filter + "&timeout=0&since=" + enc(before.path("next_batch").asText()));
            JsonNode timeline = room(after, "join", roomId).path("timeline");
            assertEquals(sent.subList(4, 7), ids(events(timeline)));
            assertTrue(timeline.path("limited").asBoolean());

            JsonNode page1 = messages(alice, roomId, timeline.path("prev_batch").asText(), 2);
            assertEquals(List.of(sent.get(3), sent.get(2)), ids(events(page1.path("chunk"))));
            JsonNode page2 = messages(alice, roomId, page1.path("end").asText(), 2);
            assertEquals(List.of(sent.get(1), sent.get(0)), ids(events(page2.path("chunk"))));
            JsonNode page3 = messages(alice, roomId, page2.path("end").asText(), 50);
            List<JsonNode> older = events(page3.path("chunk"));
            assertEquals("m.room.create", older.get(older.size() - 1).path("type").asText());
            assertTrue(older.stream().noneMatch(e -> sent.contains(e.path("event_id").asText())));
            assertFalse(page3.has("end"), "the start of the room ends the pagination");
        }

        @Test
        void longPollReturnsPromptlyWhenAnotherUserSends() throws Exception {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String roomId = alice.createRoom(Map.of("preset", "public_chat"));
            bob.join(roomId);
            JsonNode before = alice.sync("");
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                CompletableFuture<JsonNode> poll = CompletableFuture.supplyAsync(() ->
                        alice.sync("timeout=10000&since=" + enc(before.path("next_batch").asText())), pool);
                assertThrows(TimeoutException.class, () -> poll.get(300, TimeUnit.MILLISECONDS),
                        "the long-poll answered before anything happened");
                long sentAt = System.nanoTime();
                String message = bob.say(roomId, "wake up");
                JsonNode woken = poll.get(10, TimeUnit.SECONDS);
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt);
                assertTrue(ms < 2000, "the long-poll answered " + ms + " ms after the message");
                assertEquals(List.of(message), ids(timeline(room(woken, "join", roomId))));
            }
        }

        @Test
        void longPollWithNothingNewWaitsForTheTimeout() {
            TestUser alice = user("alice");
            alice.createRoom(Map.of());
            JsonNode before = alice.sync("");
            long start = System.nanoTime();
            JsonNode after = alice.sync("timeout=1000&since=" + enc(before.path("next_batch").asText()));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(ms >= 900 && ms < 8000, "answered after " + ms + " ms");
            assertSyncMatchesSpec(after);
            for (String section : List.of("join", "invite", "leave")) {
                assertEquals(Set.of(), fieldNames(after.path("rooms").path(section)), section);
            }
            SyncToken was = SyncToken.parse(before.path("next_batch").asText());
            SyncToken now = SyncToken.parse(after.path("next_batch").asText());
            assertTrue(now.roomEvents() >= was.roomEvents() && now.accountData() >= was.accountData(),
                    was + " then " + now);
        }

        @Test
        void inviteAppearsOnceWithStrippedStateNamingTheInviterAndTheRoom() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String roomId = alice.createRoom(Map.of("preset", "private_chat", "name", "Invitation"));
            JsonNode before = bob.sync("");
            alice.membership("invite", roomId, bob);
            JsonNode after = bob.syncSince(before);
            assertSyncMatchesSpec(after);
            assertTrue(room(after, "join", roomId).isMissingNode());
            List<JsonNode> inviteState = events(room(after, "invite", roomId).path("invite_state"));
            JsonNode invite = find(inviteState, "m.room.member", bob.id()).orElseThrow();
            assertEquals("invite", invite.path("content").path("membership").asText());
            assertEquals(alice.id(), invite.path("sender").asText());
            JsonNode inviter = find(inviteState, "m.room.member", alice.id())
                    .orElseThrow(() -> new AssertionError("no inviter member event in " + inviteState));
            assertEquals("join", inviter.path("content").path("membership").asText());
            assertEquals("Invitation", find(inviteState, "m.room.name", "").orElseThrow()
                    .path("content").path("name").asText());
            assertTrue(find(inviteState, "m.room.create", "").isPresent());
            assertTrue(room(bob.syncSince(after), "invite", roomId).isMissingNode(), "the invite came again");
            assertFalse(room(bob.sync(""), "invite", roomId).isMissingNode(), "an initial sync lists the invite");
        }

        @Test
        void leftRoomAppearsInLeaveOnceAndThenNotAgain() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String roomId = alice.createRoom(Map.of("preset", "public_chat"));
            bob.join(roomId);
            JsonNode before = bob.sync("");
            bob.leave(roomId);
            JsonNode after = bob.syncSince(before);
            assertSyncMatchesSpec(after);
            assertTrue(room(after, "join", roomId).isMissingNode());
            assertLastMembership(room(after, "leave", roomId), bob, bob, "leave");
            String later = alice.say(roomId, "after you left");
            JsonNode next = bob.syncSince(after);
            assertTrue(room(next, "leave", roomId).isMissingNode(), "the room was left only once");
            assertTrue(room(next, "join", roomId).isMissingNode());
            assertTrue(room(bob.sync(""), "leave", roomId).isMissingNode(), "no left rooms without include_leave");
            JsonNode archived = room(bob.sync("filter=" + enc("{\"room\":{\"include_leave\":true}}")), "leave", roomId);
            assertLastMembership(archived, bob, bob, "leave");
            assertFalse(ids(timeline(archived)).contains(later), "events after leaving are not shown");
        }

        @Test
        void kickAndBanAppearInTheTargetsLeaveSection() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            TestUser carol = user("carol");
            String roomId = alice.createRoom(Map.of("preset", "public_chat"));
            bob.join(roomId);
            carol.join(roomId);
            JsonNode bobBefore = bob.sync("");
            JsonNode carolBefore = carol.sync("");
            alice.membership("kick", roomId, bob);
            alice.membership("ban", roomId, carol);
            assertLastMembership(room(bob.syncSince(bobBefore), "leave", roomId), bob, alice, "leave");
            assertLastMembership(room(carol.syncSince(carolBefore), "leave", roomId), carol, alice, "ban");
        }

        @Test
        void fullStateReturnsAllStateAgainWithTheTimelineStillSinceTheToken() {
            TestUser alice = user("alice");
            String roomId = alice.createRoom(Map.of("name", "Full"));
            alice.setState(roomId, "m.room.topic", "", Map.of("topic", "Everything"));
            JsonNode first = alice.sync("");
            long start = System.nanoTime();
            JsonNode full = alice.sync("full_state=true&timeout=10000&since="
                    + enc(first.path("next_batch").asText()));
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 5000, "full_state ignores timeout");
            assertSyncMatchesSpec(full);
            JsonNode joined = room(full, "join", roomId);
            List<JsonNode> state = state(joined);
            for (String type : List.of("m.room.create", "m.room.power_levels", "m.room.join_rules", "m.room.name",
                    "m.room.topic")) {
                assertTrue(find(state, type, "").isPresent(), type + " missing from " + state);
            }
            assertEquals(List.of(alice.id()), members(state));
            assertEquals(List.of(), timeline(joined), "nothing happened since the token");
            assertTrue(room(alice.syncSince(first), "join", roomId).isMissingNode(), "without full_state: nothing");
        }

        @Test
        void roomJoinedSinceTheTokenArrivesWithItsStateAndHistory() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String roomId = alice.createRoom(Map.of("preset", "public_chat", "name", "Joined later"));
            String history = alice.say(roomId, "before bob");
            JsonNode before = bob.sync("");
            bob.join(roomId);
            JsonNode joined = room(bob.syncSince(before), "join", roomId);
            List<JsonNode> all = new ArrayList<>(state(joined));
            all.addAll(timeline(joined));
            assertTrue(find(all, "m.room.create", "").isPresent(), all.toString());
            assertEquals("Joined later", find(all, "m.room.name", "").orElseThrow().path("content").path("name").asText());
            assertEquals("join", find(all, "m.room.member", bob.id()).orElseThrow().path("content").path("membership")
                    .asText());
            assertTrue(ids(timeline(joined)).contains(history), "history before the join is visible");
        }

        private static void assertLastMembership(JsonNode roomSection, TestUser target, TestUser sender,
                                                 String membership) {
            List<JsonNode> timeline = timeline(roomSection);
            assertFalse(timeline.isEmpty(), "no timeline in " + roomSection);
            JsonNode last = timeline.get(timeline.size() - 1);
            assertEquals(List.of("m.room.member", target.id(), sender.id(), membership),
                    List.of(last.path("type").asText(), last.path("state_key").asText(), last.path("sender").asText(),
                            last.path("content").path("membership").asText()));
        }

        private static JsonNode messages(TestUser user, String roomId, String from, int limit) {
            return user.ok("GET", "/rooms/" + enc(roomId) + "/messages?dir=b&limit=" + limit + "&from=" + enc(from),
                    null);
        }

        private static Set<String> fieldNames(JsonNode object) {
            Set<String> names = new java.util.TreeSet<>();
            object.fieldNames().forEachRemaining(names::add);
            return names;
        }
    }
}
