package dev.myelin.homeserver.api.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** Send-to-device messages ({@code PUT /sendToDevice}) through {@code /sync}'s to_device, on both databases. */
class ToDeviceTest {
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

        private static List<String> bodies(JsonNode sync) {
            List<String> bodies = new ArrayList<>();
            sync.path("to_device").path("events").forEach(e -> bodies.add(e.path("content").path("text").asText()));
            return bodies;
        }

        @Test
        void aMessageReachesTheNamedDeviceOnceAndIsGoneAfterTheNextSync() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            TestUser bobPhone = bob.newDevice();
            JsonNode start = bob.sync("timeout=0");
            JsonNode phoneStart = bobPhone.sync("timeout=0");
            alice.ok("PUT", "/sendToDevice/m.test/txn-1", Map.of("messages",
                    Map.of(bob.id(), Map.of(bob.deviceId(), Map.of("text", "just this device")))));
            JsonNode received = bob.syncSince(start);
            assertEquals(List.of("just this device"), bodies(received));
            JsonNode event = received.path("to_device").path("events").get(0);
            assertEquals(alice.id(), event.path("sender").asText());
            assertEquals("m.test", event.path("type").asText());
            assertEquals(List.of(), bodies(bobPhone.syncSince(phoneStart)), "another device gets nothing");
            assertEquals(List.of(), bodies(bob.syncSince(received)), "delivered once");
            assertEquals(List.of(), bodies(bob.sync("timeout=0")), "acknowledged by the later sync, then dropped");
        }

        @Test
        void aStarReachesEveryDeviceAndARetriedTransactionIsSentOnce() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            TestUser bobPhone = bob.newDevice();
            JsonNode start = bob.sync("timeout=0");
            JsonNode phoneStart = bobPhone.sync("timeout=0");
            Map<String, Object> body = Map.of("messages", Map.of(bob.id(), Map.of("*", Map.of("text", "everyone"))));
            alice.ok("PUT", "/sendToDevice/m.test/txn-star", body);
            alice.ok("PUT", "/sendToDevice/m.test/txn-star", body);
            assertEquals(List.of("everyone"), bodies(bob.syncSince(start)));
            assertEquals(List.of("everyone"), bodies(bobPhone.syncSince(phoneStart)));
        }

        @Test
        void aWaitingSyncWakesForAMessage() throws Exception {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            JsonNode start = bob.sync("timeout=0");
            var waiting = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                    bob.sync("timeout=10000&since=" + TestUser.enc(start.get("next_batch").asText())));
            Thread.sleep(200);
            alice.ok("PUT", "/sendToDevice/m.test/txn-wake", Map.of("messages",
                    Map.of(bob.id(), Map.of(bob.deviceId(), Map.of("text", "wake up")))));
            assertEquals(List.of("wake up"), bodies(waiting.get(10, java.util.concurrent.TimeUnit.SECONDS)));
        }

        @Test
        void badBodiesAreRefused() {
            TestUser alice = user("alice");
            alice.fails(400, "M_BAD_JSON", "PUT", "/sendToDevice/m.test/bad-1", Map.of());
            alice.fails(400, "M_BAD_JSON", "PUT", "/sendToDevice/m.test/bad-2", Map.of("messages", "no"));
            alice.fails(400, "M_BAD_JSON", "PUT", "/sendToDevice/m.test/bad-3",
                    Map.of("messages", Map.of("not a user", Map.of())));
            alice.fails(400, "M_BAD_JSON", "PUT", "/sendToDevice/m.test/bad-5",
                    Map.of("messages", Map.of(alice.id(), Map.of("*", "not an object"))));
            assertTrue(alice.call("PUT", "/sendToDevice/m.test/bad-4", Map.of("messages", Map.of())).status() == 200);
        }
    }
}
