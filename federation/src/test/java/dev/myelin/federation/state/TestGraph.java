package dev.myelin.federation.state;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.federation.auth.AuthEvents;
import dev.myelin.federation.auth.AuthRules;
import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.crypto.SigningKey;
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
import java.util.Optional;

/**
 * A hand-built room graph with branches: each {@link Branch} keeps the state at its tip, sends
 * signed events citing that state as auth events (checked against the authorization rules), and
 * forks into concurrent branches. Every event sent is kept for the {@link #source()}.
 */
final class TestGraph {
    static final SigningKey KEY = SigningKey.generate("test");
    static final String ALICE = "@alice:a.example";
    static final String BOB = "@bob:b.example";
    static final String CAROL = "@carol:c.example";
    static final String EVE = "@eve:e.example";
    static final String MEMBER = "m.room.member";
    static final String PL = "m.room.power_levels";
    static final String JOIN_RULES = "m.room.join_rules";
    static final String TOPIC = "m.room.topic";

    final RoomVersion version;
    final RoomId roomId = RoomId.of("!room:a.example");
    final Map<EventId, Pdu> events = new HashMap<>();
    private long clock = 1_000;

    TestGraph(RoomVersion version) {
        this.version = version;
    }

    static JsonNode json(String json) {
        return CanonicalJson.parse(json.replace('\'', '"'));
    }

    /** The events sent so far, as the resolver reads them. */
    StateResolver.EventSource source() {
        return id -> Optional.ofNullable(events.get(id));
    }

    /** A branch with no events yet. */
    Branch start() {
        return new Branch(new HashMap<>(), List.of(), 0);
    }

    /**
     * A room: alice creates and joins it, power levels give alice 100 and bob 50 (and
     * whatever {@code extraUsers} adds, e.g. {@code ",'@carol:c.example':75"}), the room is
     * public and bob and carol join.
     */
    static Branch publicRoom(TestGraph g, String extraUsers) {
        Branch b = g.start();
        String creator = g.version.createHasCreator() ? "'creator':'" + ALICE + "'," : "";
        b.send(ALICE, "m.room.create", "", "{" + creator + "'room_version':'" + g.version.id() + "'}");
        b.send(ALICE, MEMBER, ALICE, "{'membership':'join'}");
        b.send(ALICE, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':50" + extraUsers + "}}");
        b.send(ALICE, JOIN_RULES, "", "{'join_rule':'public'}");
        b.send(BOB, MEMBER, BOB, "{'membership':'join'}");
        b.send(CAROL, MEMBER, CAROL, "{'membership':'join'}");
        return b;
    }

    final class Branch {
        final Map<StateKey, Pdu> state;
        private List<EventId> prev;
        private long depth;

        private Branch(Map<StateKey, Pdu> state, List<EventId> prev, long depth) {
            this.state = state;
            this.prev = prev;
            this.depth = depth;
        }

        /** A concurrent branch from this branch's tip. */
        Branch fork() {
            return new Branch(new HashMap<>(state), prev, depth);
        }

        /** Sends an allowed event stamped with the next tick of the graph's clock. */
        Pdu send(String sender, String type, String stateKey, String content) {
            return sendAt(clock++, sender, type, stateKey, content);
        }

        /** Sends an allowed event with the given {@code origin_server_ts}. */
        Pdu sendAt(long ts, String sender, String type, String stateKey, String content) {
            UserId user = UserId.of(sender);
            JsonNode c = json(content);
            List<EventId> auth = new ArrayList<>();
            for (StateKey key : AuthEvents.selectFor(type, user, stateKey, c, version)) {
                Pdu p = state.get(key);
                if (p != null) {
                    auth.add(p.eventId());
                }
            }
            Pdu event = PduBuilder.create(version).roomId(roomId).sender(user).type(type).stateKey(stateKey)
                    .content(c).prevEvents(prev).authEvents(auth).depth(depth + 1).originServerTs(ts)
                    .origin(user.server()).signingKey(KEY).build();
            AuthRules.check(event, state);
            events.put(event.eventId(), event);
            prev = List.of(event.eventId());
            depth = event.depth();
            if (event.isState()) {
                state.put(StateKey.of(event), event);
            }
            return event;
        }

        /** The state at the tip, as event IDs. */
        Map<StateKey, EventId> stateIds() {
            Map<StateKey, EventId> ids = new HashMap<>();
            state.forEach((k, v) -> ids.put(k, v.eventId()));
            return ids;
        }

        EventId get(StateKey key) {
            Pdu p = state.get(key);
            return p == null ? null : p.eventId();
        }
    }
}
