package dev.myelin.federation.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.federation.event.EventSigning;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.event.PduBuilder;
import dev.myelin.federation.event.RoomVersion;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import dev.myelin.federation.json.CanonicalJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A hand-driven room history: builds events citing the current state and applies the allowed ones. */
final class TestRoom {
    static final SigningKey KEY = SigningKey.generate("test");

    final RoomVersion version;
    final RoomId roomId;
    final Map<StateKey, Pdu> state = new HashMap<>();
    private List<EventId> prev = List.of();
    private long depth = 0;
    private long ts = 1_000_000;

    TestRoom(RoomVersion version, String roomId) {
        this.version = version;
        this.roomId = RoomId.of(roomId);
    }

    static JsonNode json(String json) {
        return CanonicalJson.parse(json.replace('\'', '"'));
    }

    /** Builds an event as {@code sender} with auth events chosen from the current state. */
    Pdu event(String sender, String type, String stateKey, String content) {
        UserId user = UserId.of(sender);
        JsonNode c = json(content);
        List<EventId> auth = new ArrayList<>();
        for (StateKey key : AuthEvents.selectFor(type, user, stateKey, c, version)) {
            Pdu p = state.get(key);
            if (p != null) {
                auth.add(p.eventId());
            }
        }
        return PduBuilder.create(version).roomId(roomId).sender(user).type(type).stateKey(stateKey).content(c)
                .prevEvents(prev).authEvents(auth).depth(depth + 1).originServerTs(ts++)
                .origin(user.server()).signingKey(KEY).build();
    }

    /** Adds a signature of another server (e.g. a restricted join's authorising server). */
    Pdu cosigned(Pdu event, String server) {
        ObjectNode signed = EventSigning.addSignature(event.json(), version, server, KEY);
        return Pdu.fromJson(signed, version);
    }

    /** Asserts the event is allowed and applies it. */
    Pdu allow(Pdu event) {
        AuthRules.check(event, state);
        prev = List.of(event.eventId());
        depth = event.depth();
        if (event.isState()) {
            state.put(StateKey.of(event), event);
        }
        return event;
    }

    Pdu allow(String sender, String type, String stateKey, String content) {
        return allow(event(sender, type, stateKey, content));
    }

    /** Asserts the event is rejected by {@code rule} and leaves the room unchanged. */
    void deny(String rule, Pdu event) {
        AuthException e = assertThrows(AuthException.class, () -> AuthRules.check(event, state));
        assertEquals(rule, e.rule(), e.getMessage());
    }

    void deny(String rule, String sender, String type, String stateKey, String content) {
        deny(rule, event(sender, type, stateKey, content));
    }

    String membership(String user) {
        return AuthRules.membership(state, user);
    }
}
