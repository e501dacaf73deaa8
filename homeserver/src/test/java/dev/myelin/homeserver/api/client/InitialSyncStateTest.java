package dev.myelin.homeserver.api.client;

import static dev.myelin.homeserver.testing.TestUser.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.homeserver.testing.ServerPerClass;
import dev.myelin.homeserver.testing.SyncJson;
import dev.myelin.homeserver.testing.TestServer;
import dev.myelin.homeserver.testing.TestUser;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * An initial {@code /sync}'s state is the room state just before its timeline, whether the server
 * works it out from the events it holds in memory (a short room) or from the stored state groups
 * (a room longer than memory holds), with and without lazy-loaded members. On both databases.
 */
class InitialSyncStateTest {
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
        /** More events than a room keeps in memory, so that older state comes from the store. */
        private static final int LONG = 80;

        Behaviour(Supplier<TestServer> start) {
            super(start);
        }

        private static String filter(int limit, boolean lazy) {
            return enc("{\"room\":{\"timeline\":{\"limit\":" + limit + "},\"state\":{\"lazy_load_members\":" + lazy + "}}}");
        }

        private static JsonNode roomOf(TestUser user, String roomId, int limit, boolean lazy) {
            return SyncJson.room(user.sync("timeout=0&filter=" + filter(limit, lazy)), "join", roomId);
        }

        private static String name(JsonNode room) {
            return SyncJson.find(SyncJson.state(room), "m.room.name", "")
                    .map(e -> e.path("content").path("name").asText()).orElse(null);
        }

        /** alice and bob; name "before"; {@code filler} messages by bob; name "after" by alice; two messages by carol. */
        private void check(int filler) {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            TestUser carol = user("carol");
            String roomId = alice.createRoom(Map.of("preset", "public_chat", "name", "before"));
            bob.join(roomId);
            carol.join(roomId);
            for (int i = 0; i < filler; i++) {
                bob.say(roomId, "filler " + i);
            }
            String rename = alice.setState(roomId, "m.room.name", "", Map.of("name", "after"));
            carol.say(roomId, "one");
            carol.say(roomId, "two");

            // The timeline holds the rename: the state before it still has the old name.
            JsonNode withRename = roomOf(alice, roomId, 3, false);
            assertEquals(rename, SyncJson.ids(SyncJson.timeline(withRename)).get(0));
            assertEquals("before", name(withRename));
            assertEquals(List.of(alice.id(), bob.id(), carol.id()).stream().sorted().toList(),
                    SyncJson.members(SyncJson.state(withRename)).stream().sorted().toList());
            assertTrue(withRename.path("timeline").path("limited").asBoolean());

            // Lazy-loaded: only the timeline's senders (alice, carol) and the user herself.
            JsonNode lazy = roomOf(bob, roomId, 3, true);
            assertEquals("before", name(lazy));
            assertEquals(List.of(alice.id(), bob.id(), carol.id()).stream().sorted().toList(),
                    SyncJson.members(SyncJson.state(lazy)).stream().sorted().toList());
            JsonNode lazyShort = roomOf(alice, roomId, 2, true);
            assertEquals("after", name(lazyShort));
            assertEquals(List.of(alice.id(), carol.id()).stream().sorted().toList(),
                    SyncJson.members(SyncJson.state(lazyShort)).stream().sorted().toList());
            assertEquals(List.of("one", "two"), SyncJson.bodies(SyncJson.timeline(lazyShort)));

            if (filler > 70) {
                // A timeline longer than memory holds: its events and the state before it come from the store.
                JsonNode deep = roomOf(alice, roomId, 70, false);
                assertEquals(70, SyncJson.timeline(deep).size());
                assertEquals("before", name(deep));
                assertEquals(3, SyncJson.members(SyncJson.state(deep)).size());
                assertTrue(deep.path("timeline").path("limited").asBoolean());
            }

            // A timeline reaching back to the first event has no state before it.
            JsonNode everything = roomOf(alice, roomId, 1000, false);
            assertEquals("m.room.create", SyncJson.types(SyncJson.timeline(everything)).get(0));
            assertEquals(List.of(), SyncJson.state(everything));
            assertEquals(filler + 2, SyncJson.bodies(SyncJson.timeline(everything)).size());
        }

        @Test
        void stateBeforeTheTimelineOfAShortRoom() {
            check(3);
        }

        @Test
        void stateBeforeTheTimelineOfARoomLongerThanMemory() {
            check(LONG);
        }
    }
}
