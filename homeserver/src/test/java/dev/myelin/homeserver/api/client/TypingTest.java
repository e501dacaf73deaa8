package dev.myelin.homeserver.api.client;

import static dev.myelin.homeserver.testing.SyncJson.ephemeral;
import static dev.myelin.homeserver.testing.SyncJson.room;
import static dev.myelin.homeserver.testing.TestUser.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.homeserver.testing.ManualClock;
import dev.myelin.homeserver.testing.ServerPerClass;
import dev.myelin.homeserver.testing.SyncAwait;
import dev.myelin.homeserver.testing.TestServer;
import dev.myelin.homeserver.testing.TestUser;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Typing notices ({@code PUT /typing}) through {@code /sync}, with a clock the tests move, on both databases. */
class TypingTest {
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

        private record Room(TestUser alice, TestUser bob, String id) {
        }

        private Room twoMembers() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String roomId = alice.createRoom(Map.of("preset", "public_chat"));
            bob.join(roomId);
            return new Room(alice, bob, roomId);
        }

        private static String typingPath(String roomId, TestUser user) {
            return "/rooms/" + enc(roomId) + "/typing/" + enc(user.id());
        }

        /** The user_ids of the room's m.typing event, or null when the sync has none. */
        private static List<String> typing(JsonNode sync, String roomId) {
            List<JsonNode> events = ephemeral(room(sync, "join", roomId), "m.typing");
            if (events.isEmpty()) {
                return null;
            }
            List<String> users = new ArrayList<>();
            events.get(events.size() - 1).path("content").path("user_ids").forEach(u -> users.add(u.asText()));
            return users;
        }

        @Test
        void typingWakesTheOtherMemberAndStoppingClearsIt() throws Exception {
            Room r = twoMembers();
            JsonNode before = r.alice().sync("");
            CompletableFuture<JsonNode> parked = CompletableFuture.supplyAsync(() -> r.alice().sync(
                    "timeout=20000&since=" + enc(before.get("next_batch").asText())));
            r.bob().ok("PUT", typingPath(r.id(), r.bob()), Map.of("typing", true, "timeout", 30000));
            JsonNode woken = parked.get(15, TimeUnit.SECONDS);
            assertSyncMatchesSpec(woken);
            assertEquals(List.of(r.bob().id()), typing(woken, r.id()));
            assertEquals(List.of(r.bob().id()), typing(r.alice().sync(""), r.id()), "initial sync shows typists");

            r.bob().ok("PUT", typingPath(r.id(), r.bob()), Map.of("typing", false));
            JsonNode stopped = r.alice().syncSince(woken);
            assertEquals(List.of(), typing(stopped, r.id()));
            assertEquals(null, typing(r.alice().sync(""), r.id()), "an initial sync leaves out an empty m.typing");
            assertEquals(null, typing(r.alice().syncSince(stopped), r.id()), "sent once");
        }

        @Test
        void aNoticeEndsWhenItsTimeoutPassesAndWakesTheParkedSync() {
            Room r = twoMembers();
            r.bob().ok("PUT", typingPath(r.id(), r.bob()), Map.of("typing", true, "timeout", 10_000));
            JsonNode typingNow = r.alice().sync("");
            assertEquals(List.of(r.bob().id()), typing(typingNow, r.id()));
            clock.advance(Duration.ofSeconds(11));
            JsonNode ended = SyncAwait.until(r.alice(), typingNow, s -> typing(s, r.id()) != null);
            assertEquals(List.of(), typing(ended, r.id()));
        }

        @Test
        void theTimeoutIsCapped() {
            Room r = twoMembers();
            r.bob().ok("PUT", typingPath(r.id(), r.bob()), Map.of("typing", true, "timeout", 3_600_000));
            JsonNode typingNow = r.alice().sync("");
            assertEquals(List.of(r.bob().id()), typing(typingNow, r.id()));
            clock.advance(Duration.ofSeconds(121));
            JsonNode ended = SyncAwait.until(r.alice(), typingNow, s -> typing(s, r.id()) != null);
            assertEquals(List.of(), typing(ended, r.id()));
        }

        @Test
        void leavingTheRoomEndsTheNotice() {
            Room r = twoMembers();
            r.bob().ok("PUT", typingPath(r.id(), r.bob()), Map.of("typing", true, "timeout", 60_000));
            JsonNode typingNow = r.alice().sync("");
            assertEquals(List.of(r.bob().id()), typing(typingNow, r.id()));
            r.bob().leave(r.id());
            JsonNode ended = SyncAwait.until(r.alice(), typingNow, s -> typing(s, r.id()) != null);
            assertEquals(List.of(), typing(ended, r.id()));
        }

        @Test
        void aMessageFromTheTypistEndsTheirNotice() {
            Room r = twoMembers();
            r.bob().ok("PUT", typingPath(r.id(), r.bob()), Map.of("typing", true, "timeout", 60_000));
            JsonNode typingNow = r.alice().sync("");
            assertEquals(List.of(r.bob().id()), typing(typingNow, r.id()));
            r.bob().say(r.id(), "done typing");
            JsonNode ended = SyncAwait.until(r.alice(), typingNow, s -> typing(s, r.id()) != null);
            assertEquals(List.of(), typing(ended, r.id()));
        }

        @Test
        void onlyJoinedMembersTypeAndOnlyForThemselves() {
            Room r = twoMembers();
            r.alice().fails(403, "M_FORBIDDEN", "PUT", typingPath(r.id(), r.bob()), Map.of("typing", true));
            TestUser stranger = user("stranger");
            stranger.fails(403, "M_FORBIDDEN", "PUT", typingPath(r.id(), stranger), Map.of("typing", true));
            r.bob().fails(400, "M_BAD_JSON", "PUT", typingPath(r.id(), r.bob()), Map.of("timeout", 1000));
            r.bob().fails(400, "M_BAD_JSON", "PUT", typingPath(r.id(), r.bob()), Map.of("typing", "yes"));
            r.bob().fails(400, "M_BAD_JSON", "PUT", typingPath(r.id(), r.bob()),
                    Map.of("typing", true, "timeout", "soon"));
            assertEquals(null, typing(r.alice().sync(""), r.id()));
        }

        @Test
        void theEphemeralFilterDropsTyping() {
            Room r = twoMembers();
            r.bob().ok("PUT", typingPath(r.id(), r.bob()), Map.of("typing", true));
            String filter = enc("{\"room\":{\"ephemeral\":{\"types\":[\"m.receipt\"]}}}");
            assertEquals(null, typing(r.alice().sync("filter=" + filter), r.id()));
            assertTrue(typing(r.alice().sync(""), r.id()).contains(r.bob().id()));
        }
    }
}
