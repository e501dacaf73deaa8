package dev.myelin.homeserver.api.client;

import static dev.myelin.homeserver.testing.SyncJson.byId;
import static dev.myelin.homeserver.testing.SyncJson.events;
import static dev.myelin.homeserver.testing.SyncJson.ids;
import static dev.myelin.homeserver.testing.SyncJson.members;
import static dev.myelin.homeserver.testing.SyncJson.room;
import static dev.myelin.homeserver.testing.SyncJson.state;
import static dev.myelin.homeserver.testing.SyncJson.timeline;
import static dev.myelin.homeserver.testing.SyncJson.types;
import static dev.myelin.homeserver.testing.TestUser.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.homeserver.testing.ServerPerClass;
import dev.myelin.homeserver.testing.TestServer;
import dev.myelin.homeserver.testing.TestUser;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@code GET /sync}: filters, account data, and what events carry in unsigned, on both databases. */
class SyncEventDataTest {
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

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    abstract static class Behaviour extends ServerPerClass {
        Behaviour(Supplier<TestServer> start) {
            super(start);
        }

        @Test
        void filterByIdAndInlineFilterBothApply() {
            TestUser alice = user("alice");
            String roomId = alice.createRoom(Map.of());
            alice.say(roomId, "one");
            String last = alice.say(roomId, "two");
            String json = "{\"room\":{\"timeline\":{\"limit\":1}}}";
            String filterId = alice.ok("POST", "/user/" + enc(alice.id()) + "/filter", json(json))
                    .path("filter_id").asText();
            assertEquals(1, alice.ok("GET", "/user/" + enc(alice.id()) + "/filter/" + enc(filterId), null)
                    .path("room").path("timeline").path("limit").asInt());
            for (String filter : List.of(filterId, json)) {
                JsonNode timeline = room(alice.sync("filter=" + enc(filter)), "join", roomId).path("timeline");
                assertEquals(List.of(last), ids(events(timeline)), filter);
                assertTrue(timeline.path("limited").asBoolean(), filter);
            }
        }

        @Test
        void hugeTimelineLimitOnALongRoomStillReturnsTheLatestEvents() {
            TestUser alice = user("alice");
            String roomId = alice.createRoom(Map.of());
            String last = null;
            for (int i = 0; i < 66; i++) { // more than a room keeps in memory, so the store is asked
                last = alice.say(roomId, "m" + i);
            }
            String filter = enc("{\"room\":{\"timeline\":{\"limit\":2147483647}}}");
            List<String> timeline = ids(timeline(room(alice.sync("filter=" + filter), "join", roomId)));
            assertEquals(last, timeline.isEmpty() ? null : timeline.get(timeline.size() - 1));
            assertEquals(Set.copyOf(timeline).size(), timeline.size());
        }

        @Test
        void notTypesRemovesEventsFromTheTimeline() {
            TestUser alice = user("alice");
            String roomId = alice.createRoom(Map.of());
            JsonNode before = alice.sync("");
            alice.say(roomId, "hidden");
            String topic = alice.setState(roomId, "m.room.topic", "", Map.of("topic", "shown"));
            String filter = enc("{\"room\":{\"timeline\":{\"not_types\":[\"m.room.message\"]}}}");
            JsonNode after = alice.sync("filter=" + filter + "&timeout=0&since=" + enc(before.path("next_batch").asText()));
            assertEquals(List.of(topic), ids(timeline(room(after, "join", roomId))));
        }

        @Test
        void globalAccountDataAppearsAfterAPutAndOnlyOnce() {
            TestUser alice = user("alice");
            JsonNode before = alice.sync("");
            alice.ok("PUT", "/user/" + enc(alice.id()) + "/account_data/org.example.theme", Map.of("dark", true));
            JsonNode after = alice.syncSince(before);
            assertSyncMatchesSpec(after);
            List<JsonNode> data = events(after.path("account_data"));
            assertEquals(List.of("org.example.theme"), types(data));
            assertTrue(data.get(0).path("content").path("dark").asBoolean());
            assertEquals(List.of(), events(alice.syncSince(after).path("account_data")), "the same data again");
            assertTrue(types(events(alice.sync("").path("account_data"))).contains("org.example.theme"));
        }

        @Test
        void accountDataTheServerControlsIsRefusedWith405() {
            TestUser alice = user("alice");
            String roomId = alice.createRoom(Map.of());
            alice.fails(405, "M_BAD_JSON", "PUT", "/user/" + enc(alice.id()) + "/account_data/m.push_rules",
                    Map.of("global", Map.of()));
            alice.fails(405, "M_BAD_JSON", "PUT", "/user/" + enc(alice.id()) + "/rooms/" + enc(roomId)
                    + "/account_data/m.fully_read", Map.of("event_id", "$x"));
        }

        @Test
        void roomAccountDataAppearsInTheRoomsSection() {
            TestUser alice = user("alice");
            String roomId = alice.createRoom(Map.of());
            JsonNode before = alice.sync("");
            alice.ok("PUT", "/user/" + enc(alice.id()) + "/rooms/" + enc(roomId) + "/account_data/m.tag",
                    Map.of("tags", Map.of("u.work", Map.of("order", 0.5))));
            JsonNode after = alice.syncSince(before);
            assertSyncMatchesSpec(after);
            List<JsonNode> data = events(room(after, "join", roomId).path("account_data"));
            assertEquals(List.of("m.tag"), types(data));
            assertEquals(0.5, data.get(0).path("content").path("tags").path("u.work").path("order").asDouble());
            assertEquals(List.of(), events(after.path("account_data")), "room data is not global data");
        }

        @Test
        void transactionIdIsShownOnlyToTheSendingDevice() {
            TestUser laptop = user("alice");
            TestUser phone = laptop.newDevice();
            TestUser bob = user("bob");
            String roomId = laptop.createRoom(Map.of("preset", "public_chat"));
            bob.join(roomId);
            JsonNode laptopBefore = laptop.sync("");
            JsonNode phoneBefore = phone.sync("");
            JsonNode bobBefore = bob.sync("");
            String eventId = laptop.sendEvent(roomId, "m.room.message", "laptop-txn-1", Map.of("msgtype", "m.text",
                    "body", "from the laptop"));
            JsonNode mine = byId(timeline(room(laptop.syncSince(laptopBefore), "join", roomId)), eventId).orElseThrow();
            assertEquals("laptop-txn-1", mine.path("unsigned").path("transaction_id").asText());
            for (JsonNode other : List.of(phone.syncSince(phoneBefore), bob.syncSince(bobBefore))) {
                JsonNode seen = byId(timeline(room(other, "join", roomId)), eventId).orElseThrow();
                assertEquals("from the laptop", seen.path("content").path("body").asText());
                assertFalse(seen.path("unsigned").has("transaction_id"), seen.toString());
            }
        }

        @Test
        void secondDeviceLongPollIsWokenByTheFirstDevicesMessage() throws Exception {
            TestUser laptop = user("alice");
            TestUser phone = laptop.newDevice();
            String roomId = laptop.createRoom(Map.of());
            JsonNode before = phone.sync("");
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                CompletableFuture<JsonNode> poll = CompletableFuture.supplyAsync(() ->
                        phone.sync("timeout=10000&since=" + enc(before.path("next_batch").asText())), pool);
                long start = System.nanoTime();
                String eventId = laptop.say(roomId, "see this on the phone");
                JsonNode woken = poll.get(10, TimeUnit.SECONDS);
                assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 2000);
                assertEquals(List.of(eventId), ids(timeline(room(woken, "join", roomId))));
            }
        }

        @Test
        void redactedEventHasEmptyContentAndRedactedBecauseEverywhere() {
            TestUser alice = user("alice");
            String roomId = alice.createRoom(Map.of());
            String secret = alice.say(roomId, "secret");
            JsonNode before = alice.sync("");
            String redaction = alice.ok("PUT", "/rooms/" + enc(roomId) + "/redact/" + enc(secret) + "/redact-1",
                    Map.of("reason", "oops")).path("event_id").asText();
            JsonNode incremental = room(alice.syncSince(before), "join", roomId);
            JsonNode redactionEvent = byId(timeline(incremental), redaction).orElseThrow();
            assertEquals(secret, redactionEvent.path("redacts").asText());
            JsonNode fetched = alice.ok("GET", "/rooms/" + enc(roomId) + "/event/" + enc(secret), null);
            JsonNode synced = byId(timeline(room(alice.sync(""), "join", roomId)), secret).orElseThrow();
            JsonNode paged = byId(events(alice.ok("GET", "/rooms/" + enc(roomId) + "/messages?dir=b&limit=5", null)
                    .path("chunk")), secret).orElseThrow();
            for (JsonNode event : List.of(fetched, synced, paged)) {
                assertEquals(json("{}"), event.path("content"), event.toString());
                JsonNode because = event.path("unsigned").path("redacted_because");
                assertEquals(redaction, because.path("event_id").asText(), event.toString());
                assertEquals("m.room.redaction", because.path("type").asText());
                assertEquals("oops", because.path("content").path("reason").asText());
            }
        }

        @Test
        void replacedStateCarriesPrevContent() {
            TestUser alice = user("alice");
            String roomId = alice.createRoom(Map.of());
            String first = alice.setState(roomId, "m.room.topic", "", Map.of("topic", "one"));
            String second = alice.setState(roomId, "m.room.topic", "", Map.of("topic", "two"));
            List<JsonNode> timeline = timeline(room(alice.sync(""), "join", roomId));
            assertFalse(byId(timeline, first).orElseThrow().path("unsigned").has("prev_content"));
            JsonNode unsigned = byId(timeline, second).orElseThrow().path("unsigned");
            assertEquals("one", unsigned.path("prev_content").path("topic").asText(), unsigned.toString());
            assertEquals(first, unsigned.path("replaces_state").asText());
            assertEquals(alice.id(), unsigned.path("prev_sender").asText());
        }

        @Test
        void lazyLoadingSendsOnlyTheMembersOfTimelineSenders() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            TestUser carol = user("carol");
            TestUser dave = user("dave");
            String roomId = alice.createRoom(Map.of("preset", "public_chat"));
            for (TestUser member : List.of(bob, carol, dave)) {
                member.join(roomId);
            }
            bob.say(roomId, "only bob speaks");
            String limit = "\"timeline\":{\"limit\":1}";
            JsonNode everyone = room(alice.sync("filter=" + enc("{\"room\":{" + limit + "}}")), "join", roomId);
            assertEquals(Set.of(alice.id(), bob.id(), carol.id(), dave.id()), Set.copyOf(members(state(everyone))));
            String lazy = "filter=" + enc("{\"room\":{" + limit + ",\"state\":{\"lazy_load_members\":true}}}");
            JsonNode first = alice.sync(lazy);
            List<String> loaded = members(state(room(first, "join", roomId)));
            assertTrue(loaded.contains(bob.id()), loaded.toString());
            assertTrue(Set.of(alice.id(), bob.id()).containsAll(loaded), loaded.toString());

            carol.say(roomId, "now carol speaks");
            JsonNode next = alice.sync(lazy + "&timeout=0&since=" + enc(first.path("next_batch").asText()));
            JsonNode joined = room(next, "join", roomId);
            assertEquals(List.of(carol.id()), members(state(joined)), "carol's member event for the new sender");
            assertFalse(members(state(joined)).contains(dave.id()));
        }

        @Test
        void requiredTopLevelFieldsArePresentEvenWhenEmpty() {
            TestUser loner = user("loner");
            JsonNode initial = loner.sync("");
            JsonNode incremental = loner.syncSince(initial);
            for (JsonNode sync : List.of(initial, incremental)) {
                assertSyncMatchesSpec(sync);
                assertTrue(sync.path("next_batch").isTextual());
                assertTrue(sync.path("device_one_time_keys_count").isObject(), "device_one_time_keys_count");
                assertTrue(sync.path("device_unused_fallback_key_types").isArray(), "device_unused_fallback_key_types");
                assertTrue(sync.path("to_device").path("events").isArray(), "to_device");
                assertTrue(sync.path("account_data").path("events").isArray(), "account_data");
                assertTrue(sync.path("rooms").path("join").isObject(), "rooms.join");
            }
        }

        @Test
        void profileChangeSyncsOnlyTheNewMemberEvent() {
            TestUser alice = user("alice");
            String roomId = alice.createRoom(Map.of("name", "Profiles"));
            alice.say(roomId, "before the change");
            JsonNode before = alice.sync("");
            alice.ok("PUT", "/profile/" + enc(alice.id()) + "/displayname", Map.of("displayname", "Alice A."));
            JsonNode joined = room(alice.syncSince(before), "join", roomId);
            List<JsonNode> timeline = timeline(joined);
            assertEquals(List.of("m.room.member"), types(timeline), "only the new member event, not history again");
            assertEquals("Alice A.", timeline.get(0).path("content").path("displayname").asText());
            assertEquals(List.of(), state(joined));
            assertFalse(joined.path("timeline").path("limited").asBoolean(true));
        }
    }
}
