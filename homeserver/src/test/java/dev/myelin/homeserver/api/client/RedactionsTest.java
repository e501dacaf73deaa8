package dev.myelin.homeserver.api.client;

import static dev.myelin.homeserver.testing.SyncJson.byId;
import static dev.myelin.homeserver.testing.SyncJson.room;
import static dev.myelin.homeserver.testing.SyncJson.state;
import static dev.myelin.homeserver.testing.SyncJson.timeline;
import static dev.myelin.homeserver.testing.TestUser.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.homeserver.testing.ServerPerClass;
import dev.myelin.homeserver.testing.TestServer;
import dev.myelin.homeserver.testing.TestUser;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@code PUT /rooms/{roomId}/redact/{eventId}/{txnId}}: who may redact what, and state events, on both databases. */
class RedactionsTest {
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

        private static String path(String roomId, String eventId, String txnId) {
            return "/rooms/" + enc(roomId) + "/redact/" + enc(eventId) + "/" + txnId;
        }

        @Test
        void redactingOthersEventsTakesTheRedactLevel() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String roomId = alice.publicRoomWith(bob);
            String fromAlice = alice.say(roomId, "alice's");
            String fromBob = bob.say(roomId, "bob's");
            bob.fails(403, "M_FORBIDDEN", "PUT", path(roomId, fromAlice, "bob-1"), Map.of());
            bob.ok("PUT", path(roomId, fromBob, "bob-2"), Map.of());
            alice.ok("PUT", path(roomId, fromAlice, "alice-1"), Map.of());
            String bobsSecond = bob.say(roomId, "bob's second");
            alice.ok("PUT", path(roomId, bobsSecond, "alice-2"), Map.of("reason", "moderation"));
            JsonNode event = bob.ok("GET", "/rooms/" + enc(roomId) + "/event/" + enc(bobsSecond), null);
            assertEquals(0, event.path("content").size(), event.toString());
            assertEquals("moderation", event.path("unsigned").path("redacted_because").path("content")
                    .path("reason").asText(), event.toString());
            JsonNode stillThere = bob.ok("GET", "/rooms/" + enc(roomId) + "/event/" + enc(fromAlice), null);
            assertEquals(0, stillThere.path("content").size(), "alice redacted it herself: " + stillThere);

            // Raising bob's power to the redact level lets him redact alice's events.
            alice.setState(roomId, "m.room.power_levels", "", Map.of("users", Map.of(alice.id(), 100, bob.id(), 50)));
            String another = alice.say(roomId, "another");
            bob.ok("PUT", path(roomId, another, "bob-3"), Map.of());
        }

        @Test
        void unknownEventsAndEventsOfOtherRoomsAreNotFound() {
            TestUser alice = user("alice");
            String roomId = alice.publicRoomWith();
            String otherRoom = alice.publicRoomWith();
            String elsewhere = alice.say(otherRoom, "in the other room");
            alice.fails(404, "M_NOT_FOUND", "PUT", path(roomId, "$unknown:example.org", "t1"), Map.of());
            alice.fails(404, "M_NOT_FOUND", "PUT", path(roomId, elsewhere, "t2"), Map.of());
            alice.fails(400, "M_INVALID_PARAM", "PUT", path(roomId, "not-an-id", "t3"), Map.of());
            alice.fails(400, "M_INVALID_PARAM", "PUT", "/rooms/" + enc(roomId) + "/send/m.room.redaction/t4",
                    Map.of("redacts", "not-an-id"));
            alice.fails(404, "M_NOT_FOUND", "PUT", "/rooms/" + enc(roomId) + "/send/m.room.redaction/t5",
                    Map.of("redacts", "$unknown:example.org"));
        }

        @Test
        void theSameTransactionRedactsOnce() {
            TestUser alice = user("alice");
            String roomId = alice.publicRoomWith();
            String message = alice.say(roomId, "oops");
            String first = alice.ok("PUT", path(roomId, message, "same"), Map.of()).path("event_id").asText();
            String second = alice.ok("PUT", path(roomId, message, "same"), Map.of()).path("event_id").asText();
            assertEquals(first, second);
            JsonNode page = alice.ok("GET", "/rooms/" + enc(roomId) + "/messages?dir=b&limit=50", null);
            long redactions = 0;
            for (JsonNode e : page.path("chunk")) {
                if (e.path("type").asText().equals("m.room.redaction")) {
                    redactions++;
                }
            }
            assertEquals(1, redactions, page.toString());
        }

        @Test
        void redactedStateEventsAreServedRedactedEverywhere() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String roomId = alice.publicRoomWith(bob);
            String topic = alice.setState(roomId, "m.room.topic", "", Map.of("topic", "secret topic"));
            alice.ok("PUT", path(roomId, topic, "topic-1"), Map.of());

            JsonNode content = bob.ok("GET", "/rooms/" + enc(roomId) + "/state/m.room.topic", null);
            assertEquals(0, content.size(), content.toString());
            JsonNode all = bob.ok("GET", "/rooms/" + enc(roomId) + "/state", null);
            JsonNode inState = null;
            for (JsonNode e : all) {
                if (e.path("event_id").asText().equals(topic)) {
                    inState = e;
                }
            }
            assertTrue(inState != null && inState.path("content").isEmpty(), all.toString());
            assertTrue(inState.path("unsigned").has("redacted_because"), inState.toString());

            JsonNode sync = room(bob.sync("timeout=0"), "join", roomId);
            JsonNode served = byId(timeline(sync), topic).or(() -> byId(state(sync), topic)).orElseThrow();
            assertEquals(0, served.path("content").size(), served.toString());
            JsonNode context = bob.ok("GET", "/rooms/" + enc(roomId) + "/context/" + enc(topic), null);
            assertEquals(0, context.path("event").path("content").size(), context.toString());
            assertFalse(context.path("event").path("content").has("topic"));
        }

        @Test
        void invitesSeeTheRedactedFormOfCurrentState() {
            TestUser alice = user("alice");
            TestUser carol = user("carol");
            String roomId = alice.publicRoomWith();
            String name = alice.setState(roomId, "m.room.name", "", Map.of("name", "secret name"));
            alice.ok("PUT", path(roomId, name, "name-1"), Map.of());
            alice.membership("invite", roomId, carol);
            JsonNode invite = room(carol.sync("timeout=0"), "invite", roomId);
            JsonNode stripped = null;
            for (JsonNode e : invite.path("invite_state").path("events")) {
                if (e.path("type").asText().equals("m.room.name")) {
                    stripped = e;
                }
            }
            assertTrue(stripped != null && stripped.path("content").isEmpty(), invite.toString());
        }
    }
}
