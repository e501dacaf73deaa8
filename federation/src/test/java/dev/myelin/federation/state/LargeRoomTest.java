package dev.myelin.federation.state;

import static dev.myelin.federation.state.TestGraph.ALICE;
import static dev.myelin.federation.state.TestGraph.BOB;
import static dev.myelin.federation.state.TestGraph.MEMBER;
import static dev.myelin.federation.state.TestGraph.TOPIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.event.RoomVersion;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.state.TestGraph.Branch;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A room with many invited members and small forks: every event is read at most once per
 * resolution; the first resolution learns that depth falls along the whole auth graph, and from
 * then on the auth difference walk stops above the fork point, so the invites (in the members'
 * auth chains, not in the state) are not read again.
 */
class LargeRoomTest {
    static final int MEMBERS = 400;

    @Test
    void smallForkInABigRoomReadsEachEventOnce() {
        TestGraph g = new TestGraph(RoomVersion.V11);
        Branch trunk = TestGraph.publicRoom(g, "");
        for (int i = 0; i < MEMBERS; i++) {
            String user = "@user" + i + ":m.example";
            trunk.send(ALICE, MEMBER, user, "{'membership':'invite'}");
            trunk.send(user, MEMBER, user, "{'membership':'join'}");
        }
        MonotoneDepths depths = new MonotoneDepths(10_000);
        Map<EventId, Integer> coldReads = resolveFork(g, trunk, depths, 1_000_000);
        assertTrue(coldReads.values().stream().allMatch(n -> n == 1), "an event was read twice");

        Branch a = trunk.fork();
        Map<EventId, Integer> reads = resolveFork(g, trunk, depths, 2_000_000);
        assertTrue(reads.values().stream().allMatch(n -> n == 1), "an event was read twice");
        // the state events themselves and the two new topics, nothing below the fork
        assertTrue(reads.size() <= a.stateIds().size() + 2, "read " + reads.size() + " events");
    }

    /** Forks the trunk, sets a topic on each side, resolves them and returns how often each event was read. */
    private static Map<EventId, Integer> resolveFork(TestGraph g, Branch trunk, MonotoneDepths depths, long ts) {
        Branch a = trunk.fork();
        Branch b = trunk.fork();
        a.sendAt(ts, ALICE, TOPIC, "", "{'topic':'a'}");
        Pdu later = b.sendAt(ts + 1, BOB, TOPIC, "", "{'topic':'b'}");
        Map<EventId, Integer> reads = new HashMap<>();
        StateResolver.EventSource counting = id -> {
            reads.merge(id, 1, Integer::sum);
            return Optional.ofNullable(g.events.get(id));
        };
        Map<StateKey, EventId> resolved = StateResolver.resolve(g.version, List.of(a.stateIds(), b.stateIds()),
                counting, depths);
        assertEquals(later.eventId(), resolved.get(StateKey.of(TOPIC, "")));
        assertEquals(MEMBERS + 3, resolved.keySet().stream().filter(k -> k.type().equals(MEMBER)).count());
        return reads;
    }
}
