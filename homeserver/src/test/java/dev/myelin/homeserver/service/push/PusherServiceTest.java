package dev.myelin.homeserver.service.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.event.PduBuilder;
import dev.myelin.federation.event.RoomVersion;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.service.push.LoopbackPushGateway.Answer;
import dev.myelin.homeserver.storage.Database;
import dev.myelin.homeserver.storage.JdbcPusherStore;
import dev.myelin.homeserver.storage.PusherStore.Pusher;
import dev.myelin.homeserver.storage.StoredEvent;
import dev.myelin.homeserver.testing.TestDatabases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Delivery of notifications by {@link PusherService} to a real push gateway on a loopback port:
 * the request body, retries with backoff, giving up, rejected pushkeys, order and the bounded
 * queue. Backoffs are milliseconds here so the retries run quickly.
 */
class PusherServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ServerName SERVER = ServerName.of("example.org");
    private static final SigningKey KEY = SigningKey.generate("test");
    private static final RoomId ROOM = RoomId.of("!room:example.org");
    private static final UserId ALICE = UserId.of("@alice:example.org");
    private static final UserId BOB = UserId.of("@bob:example.org");
    private static final PushSettings FAST = new PushSettings(Duration.ofMillis(5), Duration.ofMillis(20), 3, 3, 4,
            Duration.ofSeconds(5));
    private static final AtomicInteger CLOCK = new AtomicInteger();

    private Database database;
    private JdbcPusherStore store;
    private Pushers pushers;
    private PusherService service;
    private LoopbackPushGateway gateway;

    @BeforeEach
    void start() throws Exception {
        database = Database.open(TestDatabases.freshSqlite(TestDatabases.tempDir("myelin-push-test")), 4);
        store = new JdbcPusherStore(database);
        pushers = new Pushers(store);
        service = new PusherService(pushers, FAST);
        gateway = new LoopbackPushGateway();
    }

    @AfterEach
    void stop() {
        service.close();
        gateway.close();
        database.close();
    }

    private void addPusher(UserId user, String pushkey, Map<String, Object> extraData) throws Exception {
        ObjectNode data = JSON.createObjectNode().put("url", gateway.url());
        data.setAll((ObjectNode) JSON.valueToTree(extraData));
        pushers.set(new Pusher(user, "org.example.app", pushkey, "http", "App", "Phone", null, "en",
                JSON.writeValueAsString(data), "DEVICE", 1_700_000_123_456L), false);
    }

    private static StoredEvent event(String type, String stateKey, Map<String, Object> content) {
        Pdu pdu = PduBuilder.create(RoomVersion.V10).roomId(ROOM).sender(BOB).type(type).stateKey(stateKey)
                .content(JSON.valueToTree(content)).prevEvents(List.of(EventId.of("$prev")))
                .authEvents(List.of()).depth(10).originServerTs(1_700_000_000_000L + CLOCK.incrementAndGet())
                .origin(SERVER).signingKey(KEY).build();
        return new StoredEvent(CLOCK.get(), pdu, 1, null, null, null, null);
    }

    private static PushNotification message(String body, long unread) {
        return new PushNotification(ALICE, event("m.room.message", null, Map.of("msgtype", "m.text", "body", body)),
                JSON.createObjectNode().put("sound", "default").put("highlight", false), unread, "Lounge", "Bob");
    }

    private static String eventId(PushNotification notification) {
        return notification.event().pdu().eventId().value();
    }

    private static String eventIdOf(JsonNode body) {
        return body.path("notification").path("event_id").asText();
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
        }
    }

    @Test
    void theBodyCarriesTheEventCountsAndDeviceWithDataWithoutUrl() throws Exception {
        addPusher(ALICE, "key-1", Map.of("custom", "kept"));
        PushNotification notification = message("Hello", 3);
        service.deliver(notification);

        JsonNode expected = JSON.readTree("""
                {"notification": {
                  "event_id": "%s", "room_id": "!room:example.org", "type": "m.room.message",
                  "sender": "@bob:example.org", "sender_display_name": "Bob", "room_name": "Lounge",
                  "content": {"msgtype": "m.text", "body": "Hello"},
                  "prio": "high", "counts": {"unread": 3},
                  "devices": [{"app_id": "org.example.app", "pushkey": "key-1", "pushkey_ts": 1700000123,
                               "data": {"custom": "kept"}, "tweaks": {"sound": "default", "highlight": false}}]}}
                """.formatted(eventId(notification)));
        assertEquals(expected, gateway.next());
    }

    @Test
    void eventIdOnlyLeavesTheEventOut() throws Exception {
        addPusher(ALICE, "key-1", Map.of("format", "event_id_only"));
        PushNotification notification = message("Secret", 0);
        service.deliver(notification);

        JsonNode expected = JSON.readTree("""
                {"notification": {
                  "event_id": "%s", "room_id": "!room:example.org", "prio": "high", "counts": {},
                  "devices": [{"app_id": "org.example.app", "pushkey": "key-1", "pushkey_ts": 1700000123,
                               "data": {"format": "event_id_only"},
                               "tweaks": {"sound": "default", "highlight": false}}]}}
                """.formatted(eventId(notification)));
        assertEquals(expected, gateway.next());
    }

    @Test
    void stateChangesAreLowPriorityAndAnInviteOfTheUserIsHigh() throws Exception {
        addPusher(ALICE, "key-1", Map.of());
        service.deliver(new PushNotification(ALICE, event("m.room.topic", "", Map.of("topic", "New")),
                JSON.createObjectNode(), 1, null, null));
        JsonNode topic = gateway.next().get("notification");
        assertEquals("low", topic.get("prio").asText());
        assertFalse(topic.has("room_name") || topic.has("sender_display_name") || topic.has("user_is_target"));

        service.deliver(new PushNotification(ALICE, event("m.room.member", ALICE.value(),
                Map.of("membership", "invite")), JSON.createObjectNode(), 1, null, null));
        JsonNode invite = gateway.next().get("notification");
        assertEquals("high", invite.get("prio").asText());
        assertTrue(invite.get("user_is_target").asBoolean());
    }

    @Test
    void aFailedRequestIsRetriedUntilTheGatewayAccepts() throws Exception {
        addPusher(ALICE, "key-1", Map.of());
        gateway.answer(new Answer(500, "{}"), new Answer(503, "oops"));
        PushNotification first = message("one", 1);
        PushNotification second = message("two", 2);
        service.deliver(first);
        service.deliver(second);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(eventIdOf(gateway.next()));
        }
        assertEquals(List.of(eventId(first), eventId(first), eventId(first), eventId(second)), ids);
        assertEquals(1, pushers.of(ALICE).size());
    }

    @Test
    void aNotificationIsGivenUpAfterTheLastAttemptAndTheNextOneIsSent() throws Exception {
        addPusher(ALICE, "key-1", Map.of());
        gateway.answer(new Answer(500, "{}"), new Answer(502, "{}"), new Answer(404, "{}"));
        PushNotification lost = message("lost", 1);
        PushNotification next = message("next", 2);
        service.deliver(lost);
        service.deliver(next);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(eventIdOf(gateway.next()));
        }
        assertEquals(List.of(eventId(lost), eventId(lost), eventId(lost), eventId(next)), ids);
    }

    @Test
    void anUnreachableGatewayDoesNotHoldUpTheUsersOtherPushers() throws Exception {
        String closedUrl;
        try (LoopbackPushGateway closed = new LoopbackPushGateway()) {
            closedUrl = closed.url();
        }
        pushers.set(new Pusher(ALICE, "org.example.dead", "dead", "http", "App", "Phone", null, "en",
                "{\"url\":\"" + closedUrl + "\"}", "DEVICE", 1), false);
        addPusher(ALICE, "live", Map.of());
        PushNotification notification = message("hi", 1);
        service.deliver(notification);
        assertEquals(eventId(notification), eventIdOf(gateway.next()));
        assertEquals(2, pushers.of(ALICE).size());
    }

    @Test
    void aRejectedPushkeyRemovesThePusher() throws Exception {
        addPusher(ALICE, "expired", Map.of());
        addPusher(BOB, "valid", Map.of());
        gateway.answer(new Answer(200, "{\"rejected\":[\"expired\"]}"));
        service.deliver(message("one", 1));
        gateway.next();
        await("the rejected pusher is removed", () -> pushers.of(ALICE).isEmpty());
        assertEquals(List.of(), store.pushers(ALICE));

        service.deliver(message("two", 1));
        PushNotification forBob = new PushNotification(BOB, message("three", 1).event(), JSON.createObjectNode(),
                1, null, null);
        service.deliver(forBob);
        JsonNode next = gateway.next();
        assertEquals(eventId(forBob), eventIdOf(next));
        assertEquals("valid", next.at("/notification/devices/0/pushkey").asText());
        assertNull(gateway.next(Duration.ofMillis(100)));
    }

    @Test
    void notificationsQueuedDuringARequestAreSentInOrderOneAtATime() throws Exception {
        PushSettings roomy = new PushSettings(Duration.ofMillis(5), Duration.ofMillis(20), 3, 100, 4,
                Duration.ofSeconds(5));
        try (PusherService ordered = new PusherService(pushers, roomy)) {
            addPusher(ALICE, "key-1", Map.of());
            gateway.hold();
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                PushNotification notification = message("message " + i, i + 1);
                sent.add(eventId(notification));
                ordered.deliver(notification);
            }
            List<String> received = new ArrayList<>();
            received.add(eventIdOf(gateway.next()));
            gateway.release();
            for (int i = 1; i < 20; i++) {
                received.add(eventIdOf(gateway.next()));
            }
            assertEquals(sent, received);
            assertEquals(1, gateway.maxInFlight());
        }
    }

    @Test
    void aFullQueueDropsTheOldestWaitingNotification() throws Exception {
        addPusher(ALICE, "key-1", Map.of());
        gateway.hold();
        List<PushNotification> sent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sent.add(message("message " + i, i + 1));
        }
        service.deliver(sent.get(0));
        assertEquals(eventId(sent.get(0)), eventIdOf(gateway.next()));
        for (int i = 1; i < 6; i++) {
            service.deliver(sent.get(i));
        }
        gateway.release();
        List<String> received = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            received.add(eventIdOf(gateway.next()));
        }
        assertEquals(List.of(eventId(sent.get(3)), eventId(sent.get(4)), eventId(sent.get(5))), received);
        assertNull(gateway.next(Duration.ofMillis(100)));
    }

    @Test
    void aDeletedPushersQueueIsDropped() throws Exception {
        addPusher(ALICE, "key-1", Map.of());
        gateway.hold();
        PushNotification first = message("first", 1);
        service.deliver(first);
        assertEquals(eventId(first), eventIdOf(gateway.next()));
        service.deliver(message("second", 2));
        pushers.delete(ALICE, "org.example.app", "key-1");
        gateway.release();
        assertNull(gateway.next(Duration.ofMillis(200)));
    }

    @Test
    void pushersStoredBeforeARestartAreLoadedAndPushed() throws Exception {
        addPusher(ALICE, "b-key", Map.of());
        addPusher(ALICE, "a-key", Map.of());
        Pushers reloaded = new Pushers(new JdbcPusherStore(database));
        assertEquals(pushers.of(ALICE), reloaded.of(ALICE));
        assertEquals(List.of("a-key", "b-key"), reloaded.of(ALICE).stream().map(Pusher::pushkey).toList());
        try (PusherService restarted = new PusherService(reloaded, FAST)) {
            PushNotification notification = message("after restart", 1);
            restarted.deliver(notification);
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                JsonNode body = gateway.next();
                assertEquals(eventId(notification), eventIdOf(body));
                keys.add(body.at("/notification/devices/0/pushkey").asText());
            }
            assertEquals(List.of("a-key", "b-key"), keys.stream().sorted().toList());
        }
    }

    @Test
    void usersWithoutPushersAreNotPushed() throws Exception {
        addPusher(BOB, "bob", Map.of());
        service.deliver(message("for alice", 1));
        assertNull(gateway.next(Duration.ofMillis(100)));
    }
}
