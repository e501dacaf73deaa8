package dev.myelin.homeserver.api.client;

import static dev.myelin.homeserver.testing.SyncJson.ephemeral;
import static dev.myelin.homeserver.testing.SyncJson.events;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Read receipts ({@code /receipt}) and read markers ({@code /read_markers}) through {@code /sync}, on both databases. */
class ReceiptsTest {
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

        private static String receiptPath(String roomId, String type, String eventId) {
            return "/rooms/" + enc(roomId) + "/receipt/" + enc(type) + "/" + enc(eventId);
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

        /** The users with a receipt of {@code type} on {@code eventId} in a room's m.receipt events. */
        private static List<String> readers(JsonNode room, String eventId, String type) {
            List<String> users = new ArrayList<>();
            for (JsonNode event : ephemeral(room, "m.receipt")) {
                event.path("content").path(eventId).path(type).fieldNames().forEachRemaining(users::add);
            }
            return users;
        }

        @Test
        void aReadReceiptWakesTheOtherMembersSyncAsMReceipt() throws Exception {
            Room r = twoMembers();
            String message = r.alice().say(r.id(), "read me");
            JsonNode before = r.alice().sync("");
            CompletableFuture<JsonNode> parked = CompletableFuture.supplyAsync(() -> r.alice().sync(
                    "timeout=20000&since=" + enc(before.get("next_batch").asText())));
            r.bob().ok("POST", receiptPath(r.id(), "m.read", message), Map.of());
            JsonNode woken = parked.get(15, TimeUnit.SECONDS);
            assertSyncMatchesSpec(woken);
            JsonNode room = room(woken, "join", r.id());
            assertEquals(List.of(r.bob().id()), readers(room, message, "m.read"));
            JsonNode receipt = room.path("ephemeral").path("events").get(0).path("content").path(message)
                    .path("m.read").path(r.bob().id());
            assertTrue(receipt.path("ts").isIntegralNumber() && receipt.path("ts").asLong() > 0, receipt.toString());
            assertFalse(receipt.has("thread_id"), "an unthreaded receipt has no thread_id");

            JsonNode initial = r.alice().sync("");
            assertSyncMatchesSpec(initial);
            assertEquals(List.of(r.bob().id()), readers(room(initial, "join", r.id()), message, "m.read"));
            JsonNode quiet = r.alice().syncSince(woken);
            assertTrue(ephemeral(room(quiet, "join", r.id()), "m.receipt").isEmpty(), "sent once: " + quiet);
        }

        @Test
        void privateReceiptsReachOnlyTheirOwner() {
            Room r = twoMembers();
            String message = r.alice().say(r.id(), "secret read");
            r.bob().ok("POST", receiptPath(r.id(), "m.read.private", message), Map.of());
            assertEquals(List.of(), readers(room(r.alice().sync(""), "join", r.id()), message, "m.read.private"));
            JsonNode own = r.bob().sync("");
            assertSyncMatchesSpec(own);
            assertEquals(List.of(r.bob().id()), readers(room(own, "join", r.id()), message, "m.read.private"));
        }

        @Test
        void aReceiptNeverMovesBackwards() {
            Room r = twoMembers();
            String first = r.alice().say(r.id(), "first");
            String second = r.alice().say(r.id(), "second");
            r.bob().ok("POST", receiptPath(r.id(), "m.read", second), Map.of());
            JsonNode before = r.alice().sync("");
            r.bob().ok("POST", receiptPath(r.id(), "m.read", first), Map.of());
            JsonNode after = r.alice().syncSince(before);
            assertTrue(ephemeral(room(after, "join", r.id()), "m.receipt").isEmpty(), "no change: " + after);
            JsonNode initial = room(r.alice().sync(""), "join", r.id());
            assertEquals(List.of(r.bob().id()), readers(initial, second, "m.read"));
            assertEquals(List.of(), readers(initial, first, "m.read"));
        }

        @Test
        void threadedAndUnthreadedReceiptsOnTheSameEventBothSurvive() {
            Room r = twoMembers();
            String root = r.alice().say(r.id(), "thread root");
            String reply = r.alice().sendEvent(r.id(), "m.room.message", "reply-" + root.hashCode(), Map.of(
                    "msgtype", "m.text", "body", "in the thread",
                    "m.relates_to", Map.of("rel_type", "m.thread", "event_id", root)));
            String later = r.alice().say(r.id(), "back in main");
            r.bob().ok("POST", receiptPath(r.id(), "m.read", reply), Map.of());
            r.bob().ok("POST", receiptPath(r.id(), "m.read", reply), Map.of("thread_id", root));
            r.bob().ok("POST", receiptPath(r.id(), "m.read", later), Map.of("thread_id", "main"));
            JsonNode room = room(r.alice().sync(""), "join", r.id());
            assertEquals(List.of(r.bob().id(), r.bob().id()), readers(room, reply, "m.read"),
                    "the unthreaded and the threaded receipt: " + room.path("ephemeral"));
            List<String> threads = new ArrayList<>();
            for (JsonNode event : ephemeral(room, "m.receipt")) {
                JsonNode info = event.path("content").path(reply).path("m.read").path(r.bob().id());
                if (!info.isMissingNode()) {
                    threads.add(info.path("thread_id").asText("unthreaded"));
                }
            }
            assertEquals(List.of("unthreaded", root), threads.stream().sorted((a, b) -> a.equals("unthreaded") ? -1
                    : b.equals("unthreaded") ? 1 : a.compareTo(b)).toList());
            assertEquals(List.of(r.bob().id()), readers(room, later, "m.read"));
        }

        @Test
        void badThreadIdsAreRejected() {
            Room r = twoMembers();
            String root = r.alice().say(r.id(), "root");
            String reply = r.alice().sendEvent(r.id(), "m.room.message", "t-" + root.hashCode(), Map.of(
                    "msgtype", "m.text", "body", "reply",
                    "m.relates_to", Map.of("rel_type", "m.thread", "event_id", root)));
            r.bob().fails(400, "M_INVALID_PARAM", "POST", receiptPath(r.id(), "m.read", reply),
                    Map.of("thread_id", "main"));
            r.bob().fails(400, "M_INVALID_PARAM", "POST", receiptPath(r.id(), "m.read", reply), Map.of("thread_id", ""));
            r.bob().fails(400, "M_INVALID_PARAM", "POST", receiptPath(r.id(), "m.read", reply), Map.of("thread_id", 5));
            r.bob().fails(400, "M_INVALID_PARAM", "POST", receiptPath(r.id(), "m.read", root),
                    Map.of("thread_id", "$other"));
            r.bob().fails(400, "M_INVALID_PARAM", "POST", receiptPath(r.id(), "m.fully_read", root),
                    Map.of("thread_id", "main"));
        }

        @Test
        void receiptsNeedAJoinedMemberAKnownEventOfTheRoomAndAKnownType() {
            Room r = twoMembers();
            String message = r.alice().say(r.id(), "hello");
            TestUser stranger = user("stranger");
            stranger.fails(403, "M_FORBIDDEN", "POST", receiptPath(r.id(), "m.read", message), Map.of());
            r.bob().fails(404, "M_NOT_FOUND", "POST", receiptPath(r.id(), "m.read", "$nosuchevent"), Map.of());
            String elsewhere = r.alice().say(r.alice().createRoom(Map.of()), "other room");
            r.bob().fails(404, "M_NOT_FOUND", "POST", receiptPath(r.id(), "m.read", elsewhere), Map.of());
            r.bob().fails(400, "M_INVALID_PARAM", "POST", receiptPath(r.id(), "m.unread", message), Map.of());
            r.bob().leave(r.id());
            r.bob().fails(403, "M_FORBIDDEN", "POST", receiptPath(r.id(), "m.read", message), Map.of());
        }

        @Test
        void readMarkersSetTheFullyReadMarkerAndTheReceipts() {
            Room r = twoMembers();
            String first = r.alice().say(r.id(), "one");
            String second = r.alice().say(r.id(), "two");
            JsonNode before = r.bob().sync("");
            r.bob().ok("POST", "/rooms/" + enc(r.id()) + "/read_markers", Map.of("m.fully_read", first,
                    "m.read", second, "m.read.private", first));
            JsonNode after = r.bob().syncSince(before);
            assertSyncMatchesSpec(after);
            JsonNode room = room(after, "join", r.id());
            JsonNode marker = events(room.path("account_data")).stream()
                    .filter(e -> e.path("type").asText().equals("m.fully_read")).findFirst().orElseThrow();
            assertEquals(first, marker.path("content").path("event_id").asText());
            assertEquals(List.of(r.bob().id()), readers(room, second, "m.read"));
            assertEquals(List.of(r.bob().id()), readers(room, first, "m.read.private"));
            assertEquals(first, r.bob().ok("GET", "/user/" + enc(r.bob().id()) + "/rooms/" + enc(r.id())
                    + "/account_data/m.fully_read", null).path("event_id").asText());
            assertEquals(List.of(r.bob().id()), readers(room(r.alice().sync(""), "join", r.id()), second, "m.read"));

            r.bob().ok("POST", receiptPath(r.id(), "m.fully_read", second), Map.of());
            assertEquals(second, r.bob().ok("GET", "/user/" + enc(r.bob().id()) + "/rooms/" + enc(r.id())
                    + "/account_data/m.fully_read", null).path("event_id").asText());
        }

        @Test
        void readMarkersRejectUnknownEventsAndBadFields() {
            Room r = twoMembers();
            String message = r.alice().say(r.id(), "x");
            String path = "/rooms/" + enc(r.id()) + "/read_markers";
            r.bob().fails(404, "M_NOT_FOUND", "POST", path, Map.of("m.fully_read", "$missing", "m.read", message));
            r.bob().fails(400, "M_BAD_JSON", "POST", path, Map.of("m.read", 12));
            user("stranger").fails(403, "M_FORBIDDEN", "POST", path, Map.of("m.read", message));
            JsonNode room = room(r.alice().sync(""), "join", r.id());
            assertEquals(List.of(), readers(room, message, "m.read"), "nothing applied from a rejected request");
        }

        @Test
        void theEphemeralFilterDropsReceipts() {
            Room r = twoMembers();
            String message = r.alice().say(r.id(), "filtered");
            r.bob().ok("POST", receiptPath(r.id(), "m.read", message), Map.of());
            String filter = enc("{\"room\":{\"ephemeral\":{\"not_types\":[\"m.receipt\"]}}}");
            assertEquals(List.of(), readers(room(r.alice().sync("filter=" + filter), "join", r.id()), message, "m.read"));
            assertEquals(List.of(r.bob().id()), readers(room(r.alice().sync(""), "join", r.id()), message, "m.read"));
        }
    }
}
