package dev.myelin.federation.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import dev.myelin.federation.json.CanonicalJson;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class PduTest {
    private static final SigningKey KEY = SigningKey.generate("test");
    private static final EventId PREV = EventId.of("$prev");
    private static final EventId AUTH = EventId.of("$auth");

    private static PduBuilder message(RoomVersion v) {
        return PduBuilder.create(v).roomId(RoomId.of("!room:example.org")).sender(UserId.of("@alice:example.org"))
                .type("m.room.message").content(CanonicalJson.parse("{\"msgtype\":\"m.text\",\"body\":\"hi\"}"))
                .prevEvents(List.of(PREV)).authEvents(List.of(AUTH)).depth(5).originServerTs(1_700_000_000_000L)
                .origin(ServerName.of("example.org")).signingKey(KEY);
    }

    @Test
    void buildsSignedHashedEvent() {
        for (RoomVersion v : List.of(RoomVersion.V10, RoomVersion.V11)) {
            Pdu pdu = message(v).build();
            ObjectNode json = pdu.json();
            assertFalse(json.has("event_id"));
            assertFalse(json.has("origin"));
            assertEquals(EventIds.compute(json, v), pdu.eventId());
            assertTrue(pdu.eventId().value().matches("\\$[A-Za-z0-9_-]{43}"));
            assertTrue(pdu.contentHashMatches());
            assertTrue(EventSigning.verify(json, v, "example.org", KEY.keyId(), KEY.publicKey()));
            assertEquals(pdu, Pdu.fromJson(json, v));
            assertEquals(CanonicalJson.encodeToString(json), pdu.canonicalJson());
            assertEquals("m.room.message", pdu.type());
            assertEquals("@alice:example.org", pdu.sender().value());
            assertEquals("!room:example.org", pdu.roomId().value());
            assertNull(pdu.stateKey());
            assertFalse(pdu.isState());
            assertEquals(5, pdu.depth());
            assertEquals(1_700_000_000_000L, pdu.originServerTs());
            assertEquals(List.of(PREV), pdu.prevEventIds());
            assertEquals(List.of(AUTH), pdu.authEventIds());
            assertEquals("hi", pdu.contentString("body"));
            assertEquals(v, pdu.roomVersion());
        }
    }

    @Test
    void stateEvent() {
        Pdu pdu = message(RoomVersion.V10).type("m.room.member").stateKey("@alice:example.org")
                .content(CanonicalJson.parse("{\"membership\":\"join\"}")).build();
        assertTrue(pdu.isState());
        assertTrue(pdu.isState("m.room.member", "@alice:example.org"));
        assertEquals("join", pdu.membership());
        assertEquals("", message(RoomVersion.V10).type("m.room.name").stateKey("").build().stateKey());
    }

    @Test
    void redactsPlacementPerVersion() {
        EventId target = EventId.of("$target");
        Pdu v10 = message(RoomVersion.V10).type("m.room.redaction").redacts(target).build();
        assertEquals("$target", v10.json().get("redacts").textValue());
        assertFalse(v10.content().has("redacts"));
        assertEquals(target, v10.redacts());
        assertNull(v10.redacted().redacts());

        Pdu v11 = message(RoomVersion.V11).type("m.room.redaction").redacts(target).build();
        assertFalse(v11.json().has("redacts"));
        assertEquals("$target", v11.content().get("redacts").textValue());
        assertEquals(target, v11.redacts());
        assertEquals(target, v11.redacted().redacts());
        assertEquals(v11.eventId(), v11.redacted().eventId());
        assertEquals(v11.eventId(), EventIds.compute(v11.redacted().json(), RoomVersion.V11));
    }

    @Test
    void defensiveCopies() {
        ObjectNode json = message(RoomVersion.V10).build().json();
        Pdu pdu = Pdu.fromJson(json, RoomVersion.V10);
        json.put("type", "changed");
        ((ObjectNode) json.get("content")).put("body", "changed");
        assertEquals("m.room.message", pdu.type());
        pdu.content().put("body", "changed");
        pdu.json().put("depth", 99);
        assertEquals("hi", pdu.contentString("body"));
        assertEquals(5, pdu.json().get("depth").longValue());
    }

    @Test
    void dropsEventIdKey() {
        Pdu pdu = message(RoomVersion.V10).build();
        ObjectNode withId = pdu.json();
        withId.put("event_id", pdu.eventId().value());
        Pdu parsed = Pdu.fromJson(withId, RoomVersion.V10);
        assertEquals(pdu.eventId(), parsed.eventId());
        assertFalse(parsed.json().has("event_id"));
    }

    @Test
    void templateHasNoHashesOrSignatures() {
        ObjectNode template = message(RoomVersion.V10).buildTemplate();
        assertFalse(template.has("hashes"));
        assertFalse(template.has("signatures"));
        assertThrows(IllegalStateException.class, () -> PduBuilder.create(RoomVersion.V10).buildTemplate());
        assertThrows(IllegalStateException.class, () -> message(RoomVersion.V10).signingKey(null).build());
    }

    @Test
    void rejectsMalformedPdus() {
        rejects("missing 'room_id'", j -> j.remove("room_id"));
        rejects("'type' is not a string", j -> j.put("type", 5));
        rejects("'sender' is invalid", j -> j.put("sender", "alice"));
        rejects("'state_key' is not a string", j -> j.putNull("state_key"));
        rejects("'content' is not an object", j -> j.put("content", "x"));
        rejects("missing 'hashes'", j -> j.remove("hashes"));
        rejects("missing 'signatures'", j -> j.remove("signatures"));
        rejects("'depth' is not an integer", j -> j.put("depth", "5"));
        rejects("'depth' is negative", j -> j.put("depth", -1));
        rejects("'origin_server_ts' is not an integer", j -> j.put("origin_server_ts", 1.5));
        rejects("'prev_events' is not an array", j -> j.put("prev_events", "$x"));
        rejects("'auth_events' holds an invalid event ID", j -> j.putArray("auth_events").add("x"));
        rejects("'redacts' holds a non-string", j -> j.put("redacts", 1));
        rejects("not valid canonical JSON", j -> ((ObjectNode) j.get("content")).put("f", 0.5));
        rejects("not valid canonical JSON", j -> ((ObjectNode) j.get("content")).put("big", 1L << 60));
        rejects("'state_key' is longer than 255 bytes", j -> j.put("state_key", "é".repeat(128)));
        rejects("'type' is longer than 255 bytes", j -> j.put("type", "t".repeat(256)));
        rejects("more than 65536", j -> ((ObjectNode) j.get("content")).put("body", "x".repeat(65536)));
        assertThrows(PduFormatException.class, () -> Pdu.fromJson(message(RoomVersion.V10).build().json(), RoomVersion.V1));
    }

    @Test
    void builderRejectsOversizedEvent() {
        ObjectNode big = JsonNodeFactory.instance.objectNode().put("body", "x".repeat(70_000));
        assertThrows(PduFormatException.class, () -> message(RoomVersion.V10).content(big).build());
    }

    private static void rejects(String expectedMessagePart, Consumer<ObjectNode> breakIt) {
        ObjectNode json = message(RoomVersion.V10).build().json();
        breakIt.accept(json);
        PduFormatException e = assertThrows(PduFormatException.class, () -> Pdu.fromJson(json, RoomVersion.V10));
        assertTrue(e.getMessage().contains(expectedMessagePart), e.getMessage());
    }
}
