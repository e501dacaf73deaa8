package dev.myelin.federation.state;

import static dev.myelin.federation.state.TestGraph.ALICE;
import static dev.myelin.federation.state.TestGraph.BOB;
import static dev.myelin.federation.state.TestGraph.PL;
import static dev.myelin.federation.state.TestGraph.TOPIC;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.event.RoomVersion;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.state.TestGraph.Branch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Concurrent topic changes: topics are not power events, so they are ordered by the mainline
 * of the resolved power levels, then origin_server_ts, then event ID; the sender's power level
 * plays no part. The event applied last (and allowed) wins.
 */
class ConcurrentTopicsTest {
    static final StateKey TOPIC_KEY = StateKey.of(TOPIC, "");

    static EventId resolvedTopic(TestGraph g, Branch a, Branch b) {
        Map<StateKey, EventId> resolved = StateResolver.resolve(g.version, List.of(a.stateIds(), b.stateIds()), g.source());
        assertEquals(resolved, StateResolver.resolve(g.version, List.of(b.stateIds(), a.stateIds()), g.source()));
        return resolved.get(TOPIC_KEY);
    }

    /** Both topics cite PL0 (same closest mainline event): bob's later topic beats alice's earlier one. */
    @Test
    void sameMainlineLaterTimestampWinsWhateverThePower() {
        TestGraph g = new TestGraph(RoomVersion.V11);
        Branch trunk = TestGraph.publicRoom(g, "");
        Branch a = trunk.fork();
        Branch b = trunk.fork();
        a.sendAt(2000, ALICE, TOPIC, "", "{'topic':'alice'}");
        Pdu bobs = b.sendAt(3000, BOB, TOPIC, "", "{'topic':'bob'}");
        assertEquals(bobs.eventId(), resolvedTopic(g, a, b));
    }

    /** Same mainline event and same timestamp: the greater event ID sorts last and wins. */
    @Test
    void sameTimestampGreaterEventIdWins() {
        TestGraph g = new TestGraph(RoomVersion.V11);
        Branch trunk = TestGraph.publicRoom(g, "");
        Branch a = trunk.fork();
        Branch b = trunk.fork();
        Pdu x = a.sendAt(2000, ALICE, TOPIC, "", "{'topic':'alice'}");
        Pdu y = b.sendAt(2000, BOB, TOPIC, "", "{'topic':'bob'}");
        Pdu greater = x.eventId().value().compareTo(y.eventId().value()) > 0 ? x : y;
        assertEquals(greater.eventId(), resolvedTopic(g, a, b));
    }

    /**
     * Fork A: alice sends PL1 (ts 1500) then a topic citing PL1 (ts 1600). Fork B: bob sets a
     * topic much later (ts 5000) citing PL0. PL0 is in PL1's auth chain so PL1 is applied after
     * it and is the resolved power levels; its mainline is [PL1, PL0]. Alice's topic's closest
     * mainline event is PL1, bob's is PL0, which is further down the mainline, so bob's sorts
     * first and alice's is applied last: the mainline beats the timestamp.
     */
    @Test
    void laterMainlinePositionBeatsLaterTimestamp() {
        TestGraph g = new TestGraph(RoomVersion.V11);
        Branch trunk = TestGraph.publicRoom(g, "");
        Branch a = trunk.fork();
        Branch b = trunk.fork();
        Pdu pl1 = a.sendAt(1500, ALICE, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':50,'@dave:d.example':10}}");
        Pdu alices = a.sendAt(1600, ALICE, TOPIC, "", "{'topic':'alice'}");
        b.sendAt(5000, BOB, TOPIC, "", "{'topic':'bob'}");
        assertEquals(alices.eventId(), resolvedTopic(g, a, b));
        Map<StateKey, EventId> resolved = StateResolver.resolve(g.version, List.of(a.stateIds(), b.stateIds()), g.source());
        assertEquals(pl1.eventId(), resolved.get(StateKey.powerLevels()));
    }
}
