package dev.myelin.homeserver.api.client;

import static dev.myelin.homeserver.testing.SyncJson.events;
import static dev.myelin.homeserver.testing.SyncJson.presence;
import static dev.myelin.homeserver.testing.TestUser.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.homeserver.testing.ManualClock;
import dev.myelin.homeserver.testing.ServerPerClass;
import dev.myelin.homeserver.testing.SyncAwait;
import dev.myelin.homeserver.testing.TestServer;
import dev.myelin.homeserver.testing.TestUser;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Presence ({@code /presence/{userId}/status}, {@code set_presence}, timeouts) through {@code /sync}, on both databases. */
class PresenceTest {
    @Nested
    class Sqlite extends Behaviour {
        Sqlite() {
            super(new ManualClock(), TestServer::sqlite);
        }
    }

    @Nested
    class Postgres extends Behaviour {
        Postgres() {
            super(new ManualClock(), TestServer::postgres);
        }
    }

    abstract static class Behaviour extends ServerPerClass {
        private final ManualClock clock;

        Behaviour(ManualClock clock, Function<Clock, TestServer> start) {
            super(() -> start.apply(clock));
            this.clock = clock;
        }

        private static String statusPath(TestUser user) {
            return "/presence/" + enc(user.id()) + "/status";
        }

        /** Two users who share a room. */
        private TestUser[] roomMates() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String roomId = alice.createRoom(Map.of("preset", "public_chat"));
            bob.join(roomId);
            return new TestUser[] {alice, bob};
        }

        /** The latest presence state of {@code user} in a sync response, or null. */
        private static String state(JsonNode sync, TestUser user) {
            List<JsonNode> events = presence(sync, user.id());
            return events.isEmpty() ? null : events.get(events.size() - 1).path("content").path("presence").asText();
        }

        @Test
        void putThenGetForOneselfAndRoomMatesButNotStrangers() {
            TestUser[] users = roomMates();
            TestUser alice = users[0];
            TestUser bob = users[1];
            bob.fails(404, "M_NOT_FOUND", "GET", statusPath(alice), null);
            alice.ok("PUT", statusPath(alice), Map.of("presence", "online", "status_msg", "at my desk"));
            JsonNode own = alice.ok("GET", statusPath(alice), null);
            assertEquals("online", own.path("presence").asText());
            assertEquals("at my desk", own.path("status_msg").asText());
            assertTrue(own.path("last_active_ago").asLong(-1) >= 0, own.toString());
            assertTrue(own.path("currently_active").asBoolean(), own.toString());
            assertEquals(own.path("presence"), bob.ok("GET", statusPath(alice), null).path("presence"));
            user("stranger").fails(403, "M_FORBIDDEN", "GET", statusPath(alice), null);

            alice.ok("PUT", statusPath(alice), Map.of("presence", "unavailable"));
            JsonNode away = bob.ok("GET", statusPath(alice), null);
            assertEquals("unavailable", away.path("presence").asText());
            assertFalse(away.has("status_msg"), "a PUT without status_msg clears it: " + away);
            assertFalse(away.path("currently_active").asBoolean());
        }

        @Test
        void putChecksItsInput() {
            TestUser[] users = roomMates();
            users[0].fails(403, "M_FORBIDDEN", "PUT", statusPath(users[1]), Map.of("presence", "online"));
            users[0].fails(400, "M_INVALID_PARAM", "PUT", statusPath(users[0]), Map.of("presence", "busy"));
            users[0].fails(400, "M_MISSING_PARAM", "PUT", statusPath(users[0]), Map.of("status_msg", "hi"));
            users[0].fails(400, "M_BAD_JSON", "PUT", statusPath(users[0]), Map.of("presence", 1));
            users[0].fails(400, "M_BAD_JSON", "PUT", statusPath(users[0]), Map.of("presence", "online",
                    "status_msg", List.of()));
            users[0].fails(400, "M_INVALID_PARAM", "GET", "/sync?set_presence=busy", null);
        }

        @Test
        void syncSendsThePresenceOfRoomMatesAndWakesOnChanges() throws Exception {
            TestUser[] users = roomMates();
            TestUser alice = users[0];
            TestUser bob = users[1];
            TestUser stranger = user("stranger");
            stranger.sync("");
            bob.sync("");
            JsonNode initial = alice.sync("");
            assertSyncMatchesSpec(initial);
            assertEquals("online", state(initial, bob));
            assertEquals("online", state(initial, alice), "the syncing user's own presence too");
            assertEquals(List.of(), presence(initial, stranger.id()));
            JsonNode bobs = presence(initial, bob.id()).get(0).path("content");
            assertTrue(bobs.path("last_active_ago").isIntegralNumber(), bobs.toString());
            assertTrue(bobs.has("currently_active"), bobs.toString());

            CompletableFuture<JsonNode> parked = CompletableFuture.supplyAsync(() -> alice.sync(
                    "timeout=20000&since=" + enc(initial.get("next_batch").asText())));
            bob.ok("PUT", statusPath(bob), Map.of("presence", "unavailable", "status_msg", "away"));
            JsonNode woken = parked.get(15, TimeUnit.SECONDS);
            assertSyncMatchesSpec(woken);
            assertEquals("unavailable", state(woken, bob));
            assertEquals("away", presence(woken, bob.id()).get(0).path("content").path("status_msg").asText());
            assertEquals(null, state(alice.syncSince(woken), bob), "sent once");
        }

        @Test
        void comingToShareARoomSendsTheCurrentPresenceBothWays() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            JsonNode aliceBefore = alice.sync("");
            JsonNode bobBefore = bob.sync("");
            assertEquals(null, state(aliceBefore, bob));
            String roomId = alice.createRoom(Map.of("preset", "public_chat"));
            JsonNode aliceMid = alice.syncSince(aliceBefore);
            bob.join(roomId);
            assertEquals("online", state(bob.syncSince(bobBefore), alice), "the joiner learns the members' presence");
            assertEquals("online", state(alice.syncSince(aliceMid), bob), "the members learn the joiner's presence");
        }

        @Test
        void setPresenceOnSync() {
            TestUser carol = user("carol");
            carol.sync("set_presence=unavailable");
            assertEquals("unavailable", carol.ok("GET", statusPath(carol), null).path("presence").asText());
            carol.sync("set_presence=offline");
            assertEquals("unavailable", carol.ok("GET", statusPath(carol), null).path("presence").asText(),
                    "offline leaves presence unchanged");
            TestUser dave = user("dave");
            dave.sync("set_presence=offline");
            dave.fails(404, "M_NOT_FOUND", "GET", statusPath(dave), null);
            dave.sync("");
            assertEquals("online", dave.ok("GET", statusPath(dave), null).path("presence").asText());
        }

        @Test
        void idleUsersBecomeUnavailableAndThoseWhoStopSyncingOffline() {
            TestUser[] users = roomMates();
            TestUser alice = users[0];
            TestUser bob = users[1];
            bob.ok("PUT", statusPath(bob), Map.of("presence", "online"));
            Map<String, String> seen = new HashMap<>();
            Predicate<JsonNode> settled = sync -> {
                for (TestUser u : users) {
                    if (state(sync, u) != null) {
                        seen.put(u.id(), state(sync, u));
                    }
                }
                return "unavailable".equals(seen.get(alice.id())) && "offline".equals(seen.get(bob.id()));
            };
            JsonNode last = alice.sync("");
            settled.test(last);
            assertEquals("online", seen.get(alice.id()));
            // Alice keeps syncing (never 30 s apart) but does nothing else for over five minutes; Bob stopped.
            boolean done = false;
            for (int i = 0; i < 16; i++) {
                clock.advance(Duration.ofSeconds(20));
                last = alice.syncSince(last);
                done = settled.test(last);
            }
            if (!done) {
                SyncAwait.until(alice, last, settled);
            }
            assertEquals("unavailable", seen.get(alice.id()));
            assertEquals("offline", seen.get(bob.id()));

            // Activity (a typing notice here) brings the idle user back; a sync brings the offline one back.
            String roomId = alice.ok("GET", "/joined_rooms", null).path("joined_rooms").get(0).asText();
            alice.ok("PUT", "/rooms/" + enc(roomId) + "/typing/" + enc(alice.id()), Map.of("typing", true));
            assertEquals("online", alice.ok("GET", statusPath(alice), null).path("presence").asText());
            bob.sync("");
            assertEquals("online", alice.ok("GET", statusPath(bob), null).path("presence").asText());

            // Idle again; a message of hers brings her back too.
            boolean idle = false;
            for (int i = 0; i < 16 && !idle; i++) {
                clock.advance(Duration.ofSeconds(20));
                last = alice.syncSince(last);
                idle = "unavailable".equals(state(last, alice));
            }
            if (!idle) {
                SyncAwait.until(alice, last, sync -> "unavailable".equals(state(sync, alice)));
            }
            alice.say(roomId, "back at the keyboard");
            assertEquals("online", alice.ok("GET", statusPath(alice), null).path("presence").asText());
        }

        @Test
        void thePresenceFilterApplies() {
            TestUser[] users = roomMates();
            TestUser alice = users[0];
            TestUser bob = users[1];
            bob.sync("");
            alice.sync("");
            assertEquals(null, state(alice.sync("filter=" + enc("{\"presence\":{\"not_senders\":[\"" + bob.id()
                    + "\"]}}")), bob));
            assertEquals(List.of(), events(alice.sync("filter=" + enc("{\"presence\":{\"types\":[\"m.none\"]}}"))
                    .path("presence")));
            assertEquals(1, events(alice.sync("filter=" + enc("{\"presence\":{\"limit\":1}}")).path("presence")).size());
            assertEquals(List.of(bob.id()), events(alice.sync("filter=" + enc("{\"presence\":{\"senders\":[\""
                    + bob.id() + "\"]}}")).path("presence")).stream().map(e -> e.path("sender").asText()).toList());
        }
    }
}
