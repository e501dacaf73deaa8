package dev.myelin.homeserver.api.client;

import static dev.myelin.homeserver.testing.SyncJson.bodies;
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
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * History visibility ({@code m.room.history_visibility}) across {@code /messages},
 * {@code /context}, {@code /event}, {@code /state}, {@code /sync} and {@code /search}, on both
 * databases.
 */
class HistoryVisibilityTest {
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

        private static void setVisibility(TestUser user, String room, String value) {
            user.setState(room, "m.room.history_visibility", "", Map.of("history_visibility", value));
        }

        /** The bodies of the messages the user gets paging back from the end of the room. */
        private static List<String> scrollback(TestUser user, String room) {
            JsonNode page = user.ok("GET", "/rooms/" + enc(room) + "/messages?dir=b&limit=100", null);
            List<String> result = new ArrayList<>(bodies(events(page.path("chunk"))));
            return result.reversed();
        }

        private static List<JsonNode> events(JsonNode array) {
            List<JsonNode> list = new ArrayList<>();
            array.forEach(list::add);
            return list;
        }

        private static JsonNode event(TestUser user, String room, String eventId) {
            return user.ok("GET", "/rooms/" + enc(room) + "/event/" + enc(eventId), null);
        }

        private static int searchCount(TestUser user, String term) {
            return user.ok("POST", "/search", Map.of("search_categories", Map.of("room_events",
                    Map.of("search_term", term)))).path("search_categories").path("room_events").path("count")
                    .asInt(-1);
        }

        private static List<String> searchIds(TestUser user, String term) {
            List<String> ids = new ArrayList<>();
            user.ok("POST", "/search", Map.of("search_categories", Map.of("room_events", Map.of("search_term", term))))
                    .path("search_categories").path("room_events").path("results")
                    .forEach(r -> ids.add(r.path("result").path("event_id").asText()));
            return ids;
        }

        @Test
        void joinedHidesEverythingBeforeTheJoinEverywhere() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String room = alice.createRoom(Map.of("preset", "public_chat"));
            setVisibility(alice, room, "joined");
            String early = alice.say(room, "early kiwi");
            bob.join(room);
            String late = alice.say(room, "late kiwi");

            assertEquals(List.of("late kiwi"), scrollback(bob, room));
            assertEquals(List.of("early kiwi", "late kiwi"), scrollback(alice, room));
            bob.fails(404, "M_NOT_FOUND", "GET", "/rooms/" + enc(room) + "/event/" + enc(early), null);
            assertEquals("late kiwi", event(bob, room, late).path("content").path("body").asText());
            JsonNode context = bob.ok("GET", "/rooms/" + enc(room) + "/context/" + enc(late) + "?limit=20", null);
            assertFalse(context.path("events_before").toString().contains(early));
            assertTrue(context.path("events_before").toString().contains("m.room.member"), "bob's join is visible");
            bob.fails(404, "M_NOT_FOUND", "GET", "/rooms/" + enc(room) + "/context/" + enc(early), null);
            assertEquals(List.of("late kiwi"), bodies(timeline(room(bob.sync(""), "join", room))));
            assertEquals(List.of(late), searchIds(bob, "kiwi"));
            assertEquals(2, searchIds(alice, "kiwi").size());
        }

        @Test
        void relationsAndThreadsHideWhatTheUserMayNotSee() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String room = alice.createRoom(Map.of("preset", "public_chat"));
            setVisibility(alice, room, "joined");
            String root = alice.say(room, "thread root");
            Map<String, Object> reply = Map.of("msgtype", "m.text", "body", "reply",
                    "m.relates_to", Map.of("rel_type", "m.thread", "event_id", root));
            alice.sendEvent(room, "m.room.message", "early-reply", reply);
            bob.join(room);
            alice.sendEvent(room, "m.room.message", "late-reply", reply);

            String relations = "/rooms/" + enc(room) + "/relations/" + enc(root);
            String threads = "/rooms/" + enc(room) + "/threads";
            assertEquals(2, alice.okV1("GET", relations, null).path("chunk").size());
            assertEquals(1, alice.okV1("GET", threads, null).path("chunk").size());
            assertEquals(404, bob.callV1("GET", relations, null).status(), "the root predates bob's join");
            assertEquals(0, bob.okV1("GET", threads, null).path("chunk").size(), "the root predates bob's join");
        }

        @Test
        void aLateJoinersIncrementalSyncHasNoEarlierEvents() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String room = alice.createRoom(Map.of("preset", "public_chat"));
            setVisibility(alice, room, "joined");
            JsonNode before = bob.sync("");
            alice.say(room, "private past");
            bob.join(room);
            alice.say(room, "shared present");
            JsonNode joined = room(bob.syncSince(before), "join", room);
            assertEquals(List.of("shared present"), bodies(timeline(joined)));
        }

        @Test
        void invitedShowsEventsFromTheInviteOn() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String room = alice.createRoom(Map.of("preset", "private_chat"));
            setVisibility(alice, room, "invited");
            alice.say(room, "before the invite");
            alice.membership("invite", room, bob);
            alice.say(room, "while invited");
            bob.join(room);
            alice.say(room, "after joining");
            assertEquals(List.of("while invited", "after joining"), scrollback(bob, room));
        }

        @Test
        void sharedShowsAllHistoryToMembersAndStopsAtTheirDeparture() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            TestUser eve = user("eve");
            String room = alice.createRoom(Map.of("preset", "public_chat", "name", "Shared room"));
            String early = alice.say(room, "from before bob");
            bob.join(room);
            alice.say(room, "with bob");
            alice.setState(room, "m.room.topic", "", Map.of("topic", "while bob was here"));
            bob.leave(room);
            alice.say(room, "after bob left");
            alice.setState(room, "m.room.name", "", Map.of("name", "Renamed"));

            assertEquals(List.of("from before bob", "with bob"), scrollback(bob, room));
            assertEquals("from before bob", event(bob, room, early).path("content").path("body").asText());
            JsonNode name = bob.ok("GET", "/rooms/" + enc(room) + "/state/m.room.name/", null);
            assertEquals("Shared room", name.path("name").asText(), "a left user sees the state at departure");
            JsonNode members = bob.ok("GET", "/rooms/" + enc(room) + "/members", null);
            assertTrue(members.toString().contains(bob.id()));
            assertEquals(3, searchIds(bob, "bob").size(), "two messages and the topic, not what came after");

            eve.fails(403, "M_FORBIDDEN", "GET", "/rooms/" + enc(room) + "/messages?dir=b", null);
            eve.fails(403, "M_FORBIDDEN", "GET", "/rooms/" + enc(room) + "/state", null);
            eve.fails(403, "M_FORBIDDEN", "GET", "/rooms/" + enc(room) + "/event/" + enc(early), null);
            assertEquals(0, searchCount(eve, "bob"));
        }

        @Test
        void worldReadableRoomsAreReadableByNonMembersButNotSynced() {
            TestUser alice = user("alice");
            TestUser eve = user("eve");
            String room = alice.createRoom(Map.of("preset", "public_chat", "name", "Open book"));
            String hidden = alice.say(room, "said while shared");
            setVisibility(alice, room, "world_readable");
            String open = alice.say(room, "said while world readable");

            assertEquals(List.of("said while world readable"), scrollback(eve, room));
            assertEquals("said while world readable", event(eve, room, open).path("content").path("body").asText());
            eve.fails(404, "M_NOT_FOUND", "GET", "/rooms/" + enc(room) + "/event/" + enc(hidden), null);
            JsonNode context = eve.ok("GET", "/rooms/" + enc(room) + "/context/" + enc(open), null);
            assertEquals(open, context.path("event").path("event_id").asText());
            JsonNode name = eve.ok("GET", "/rooms/" + enc(room) + "/state/m.room.name/", null);
            assertEquals("Open book", name.path("name").asText());
            assertTrue(eve.sync("").path("rooms").path("join").path(room).isMissingNode());
        }
    }
}
