package dev.myelin.federation.state;

import static dev.myelin.federation.state.TestGraph.ALICE;
import static dev.myelin.federation.state.TestGraph.BOB;
import static dev.myelin.federation.state.TestGraph.CAROL;
import static dev.myelin.federation.state.TestGraph.EVE;
import static dev.myelin.federation.state.TestGraph.JOIN_RULES;
import static dev.myelin.federation.state.TestGraph.MEMBER;
import static dev.myelin.federation.state.TestGraph.PL;
import static dev.myelin.federation.state.TestGraph.TOPIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.event.RoomVersion;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.state.TestGraph.Branch;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Two-fork histories resolved with state resolution v2. Every fork starts from
 * {@link TestGraph#publicRoom}: create, alice joins, power levels PL0 (alice 100, bob 50, plus
 * extras), join rules public, bob and carol join; all of that is unconflicted unless a fork
 * changes it. Each test explains the outcome the spec's algorithm gives.
 */
class StateResolverTest {
    static final StateKey TOPIC_KEY = StateKey.of(TOPIC, "");

    static Map<StateKey, EventId> resolve(TestGraph g, Map<StateKey, EventId> a, Map<StateKey, EventId> b) {
        return StateResolver.resolve(g.version, List.of(a, b), g.source());
    }

    /**
     * Alice (100) demotes carol (75) to 0 on fork A while carol, on fork B and earlier, demotes
     * bob and then sets the topic. Both power levels events are power events; alice's sorts
     * first (greater sender power, from PL0), passes, and becomes the partial state. Carol's is
     * then checked against alice's levels, where carol has 0: rejected. Carol's topic (mainline
     * ordering) fails too (0 < 50). Result: PL_A, no topic.
     */
    @ParameterizedTest
    @EnumSource(value = RoomVersion.class, names = {"V10", "V11"})
    void demotedAdminsConcurrentChangesAreDropped(RoomVersion version) {
        TestGraph g = new TestGraph(version);
        Branch trunk = TestGraph.publicRoom(g, ",'@carol:c.example':75");
        Branch a = trunk.fork();
        Branch b = trunk.fork();
        Pdu plA = a.sendAt(2000, ALICE, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':50,'@carol:c.example':0}}");
        b.sendAt(1500, CAROL, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':0,'@carol:c.example':75}}");
        b.sendAt(1600, CAROL, TOPIC, "", "{'topic':'carol was here'}");

        Map<StateKey, EventId> expected = new HashMap<>(trunk.stateIds());
        expected.put(StateKey.powerLevels(), plA.eventId());
        assertEquals(expected, resolve(g, a.stateIds(), b.stateIds()));
        assertEquals(expected, resolve(g, b.stateIds(), a.stateIds()));
    }

    /**
     * Alice (100) adds dave at 10 (ts 2000); carol (75), earlier (ts 1500), lowers bob to 40.
     * Both are allowed whatever the order, so the one applied last wins: the reverse topological
     * power ordering puts alice's first (100 > 75) despite its later timestamp, and carol's,
     * checked against alice's levels (carol 75 changing bob 50 and dave 10 down), passes and wins.
     */
    @Test
    void powerLevelRaceLowerPowerAppliedLast() {
        TestGraph g = new TestGraph(RoomVersion.V11);
        Branch trunk = TestGraph.publicRoom(g, ",'@carol:c.example':75");
        Branch a = trunk.fork();
        Branch b = trunk.fork();
        a.sendAt(2000, ALICE, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':50,'@carol:c.example':75,'@dave:d.example':10}}");
        Pdu plB = b.sendAt(1500, CAROL, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':40,'@carol:c.example':75}}");

        Map<StateKey, EventId> resolved = resolve(g, a.stateIds(), b.stateIds());
        assertEquals(plB.eventId(), resolved.get(StateKey.powerLevels()));
    }

    /**
     * Bob and carol (both 50) change the join rules concurrently. Equal sender power: the
     * earlier origin_server_ts sorts first, so the later one is applied last and wins; at equal
     * timestamps the greater event ID is applied last.
     */
    @Test
    void powerTieBrokenByTimestampThenEventId() {
        TestGraph g = new TestGraph(RoomVersion.V11);
        Branch trunk = TestGraph.publicRoom(g, ",'@carol:c.example':50");
        Branch a = trunk.fork();
        Branch b = trunk.fork();
        Pdu bobs = a.sendAt(1600, BOB, JOIN_RULES, "", "{'join_rule':'invite'}");
        b.sendAt(1500, CAROL, JOIN_RULES, "", "{'join_rule':'knock'}");
        assertEquals(bobs.eventId(), resolve(g, a.stateIds(), b.stateIds()).get(StateKey.joinRules()));

        Branch c = trunk.fork();
        Branch d = trunk.fork();
        Pdu x = c.sendAt(1700, BOB, JOIN_RULES, "", "{'join_rule':'invite'}");
        Pdu y = d.sendAt(1700, CAROL, JOIN_RULES, "", "{'join_rule':'knock'}");
        Pdu greater = x.eventId().value().compareTo(y.eventId().value()) > 0 ? x : y;
        assertEquals(greater.eventId(), resolve(g, c.stateIds(), d.stateIds()).get(StateKey.joinRules()));
    }

    /**
     * PL0 lets anyone set the topic. Fork A: alice bans eve (ts 2000). Fork B: eve joins
     * (ts 1500) and sets the topic (ts 1600). The ban is a power event and is applied first;
     * eve's join, in the mainline phase, is checked against a state where eve is banned and
     * fails, and so does her topic (she is not joined). Sorting everything by timestamp alone
     * would have let the join and the topic in before the ban.
     */
    @ParameterizedTest
    @EnumSource(value = RoomVersion.class, names = {"V10", "V11"})
    void banBeatsConcurrentJoin(RoomVersion version) {
        TestGraph g = new TestGraph(version);
        Branch trunk = g.start();
        String creator = version.createHasCreator() ? "'creator':'" + ALICE + "'," : "";
        trunk.send(ALICE, "m.room.create", "", "{" + creator + "'room_version':'" + version.id() + "'}");
        trunk.send(ALICE, MEMBER, ALICE, "{'membership':'join'}");
        trunk.send(ALICE, PL, "", "{'users':{'@alice:a.example':100},'events':{'m.room.topic':0}}");
        trunk.send(ALICE, JOIN_RULES, "", "{'join_rule':'public'}");
        Branch a = trunk.fork();
        Branch b = trunk.fork();
        Pdu ban = a.sendAt(2000, ALICE, MEMBER, EVE, "{'membership':'ban'}");
        b.sendAt(1500, EVE, MEMBER, EVE, "{'membership':'join'}");
        b.sendAt(1600, EVE, TOPIC, "", "{'topic':'eve'}");

        Map<StateKey, EventId> expected = new HashMap<>(trunk.stateIds());
        expected.put(StateKey.member(EVE), ban.eventId());
        assertEquals(expected, resolve(g, a.stateIds(), b.stateIds()));
        assertEquals(expected, resolve(g, b.stateIds(), a.stateIds()));
    }

    /**
     * Fork A: alice makes the room invite-only (ts 2000). Fork B: eve joins the public room
     * (ts 1500). Both join rules events are power events (no auth chain link between them; same
     * sender, so the old public rule sorts first by timestamp) and the invite rule ends on top.
     * Eve's join is then checked against "invite" with no invite: rejected, so eve has no
     * membership at all in the result.
     */
    @Test
    void joinRulesChangeRacingAJoin() {
        TestGraph g = new TestGraph(RoomVersion.V11);
        Branch trunk = TestGraph.publicRoom(g, "");
        Branch a = trunk.fork();
        Branch b = trunk.fork();
        Pdu inviteOnly = a.sendAt(2000, ALICE, JOIN_RULES, "", "{'join_rule':'invite'}");
        b.sendAt(1500, EVE, MEMBER, EVE, "{'membership':'join'}");

        Map<StateKey, EventId> expected = new HashMap<>(trunk.stateIds());
        expected.put(StateKey.joinRules(), inviteOnly.eventId());
        assertEquals(expected, resolve(g, a.stateIds(), b.stateIds()));
    }

    /**
     * The trunk has alice's topic T0. Fork A: alice raises the topic level to 100 (ts 3000).
     * Fork B: bob (50) sets a topic (ts 2000), allowed where he sent it. Resolved power levels:
     * alice's. Mainline phase: T0 and bob's topic both hang off PL0; T0 is older and passes; bob's
     * is checked against the resolved levels (topic needs 100) and dropped. T0 stays.
     */
    @Test
    void eventFailingAuthAfterResolutionIsDropped() {
        TestGraph g = new TestGraph(RoomVersion.V11);
        Branch trunk = TestGraph.publicRoom(g, "");
        Pdu t0 = trunk.send(ALICE, TOPIC, "", "{'topic':'t0'}");
        Branch a = trunk.fork();
        Branch b = trunk.fork();
        Pdu pl1 = a.sendAt(3000, ALICE, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':50},'events':{'m.room.topic':100}}");
        b.sendAt(2000, BOB, TOPIC, "", "{'topic':'bob'}");

        Map<StateKey, EventId> expected = new HashMap<>(trunk.stateIds());
        expected.put(StateKey.powerLevels(), pl1.eventId());
        expected.put(TOPIC_KEY, t0.eventId());
        assertEquals(expected, resolve(g, a.stateIds(), b.stateIds()));
    }

    @Test
    void identicalStateSetsAreReturnedWithoutReadingEvents() {
        TestGraph g = new TestGraph(RoomVersion.V11);
        Map<StateKey, EventId> state = TestGraph.publicRoom(g, "").stateIds();
        StateResolver.EventSource nothing = id -> {
            throw new AssertionError("equal state sets need no events, but " + id + " was read");
        };
        assertEquals(state, StateResolver.resolve(RoomVersion.V11, List.of(state, new HashMap<>(state)), nothing));
        assertEquals(state, StateResolver.resolve(RoomVersion.V10, List.of(state), nothing));
    }

    /**
     * Fork A: bob changes his display name (M_E, ts 2000) and sets a topic (ts 2100) citing M_E.
     * Fork B: bob changes his display name differently (M_U, ts 1900). State set A is fork A's
     * state but with bob's M_U (as an earlier merge can leave it), so bob's membership is
     * unconflicted. Auth difference: the topic and M_E (only in A's chain). Mainline phase: M_E,
     * then the topic, both allowed, so the partial state has bob at M_E; the final step puts the
     * unconflicted M_U back. Everything else unconflicted is kept as it was.
     */
    @Test
    void unconflictedStateIsKeptAndReappliedLast() {
        TestGraph g = new TestGraph(RoomVersion.V11);
        Branch trunk = TestGraph.publicRoom(g, "");
        Branch a = trunk.fork();
        Branch b = trunk.fork();
        a.sendAt(2000, BOB, MEMBER, BOB, "{'membership':'join','displayname':'x'}");
        Pdu topic = a.sendAt(2100, BOB, TOPIC, "", "{'topic':'bob'}");
        Pdu mU = b.sendAt(1900, BOB, MEMBER, BOB, "{'membership':'join','displayname':'y'}");
        Map<StateKey, EventId> setA = a.stateIds();
        setA.put(StateKey.member(BOB), mU.eventId());

        Map<StateKey, EventId> expected = new HashMap<>(trunk.stateIds());
        expected.put(StateKey.member(BOB), mU.eventId());
        expected.put(TOPIC_KEY, topic.eventId());
        assertEquals(expected, resolve(g, setA, b.stateIds()));
    }

    /**
     * Fork A: alice gives carol 100 (PL1), then carol lowers bob to 10 (PL2). Fork B: bob sets
     * a topic. PL1 is in no state set but only in A's auth chain, so the auth difference brings
     * it into the full conflicted set; as an ancestor of PL2 it is ordered PL0, PL1, PL2 (PL0 is
     * B's, conflicted). PL2 is checked with PL1 as the partial power levels, where carol has
     * 100: allowed. Without PL1, PL2 would be checked against PL0 (carol 0) and dropped. Bob's
     * topic (level 50) then fails against PL2 (bob 10); the trunk had no topic.
     */
    @Test
    void authDifferenceEventsTakePart() {
        TestGraph g = new TestGraph(RoomVersion.V11);
        Branch trunk = TestGraph.publicRoom(g, "");
        Branch a = trunk.fork();
        Branch b = trunk.fork();
        a.send(ALICE, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':50,'@carol:c.example':100}}");
        Pdu pl2 = a.send(CAROL, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':10,'@carol:c.example':100}}");
        b.send(BOB, TOPIC, "", "{'topic':'bob'}");

        Map<StateKey, EventId> expected = new HashMap<>(trunk.stateIds());
        expected.put(StateKey.powerLevels(), pl2.eventId());
        assertEquals(expected, resolve(g, a.stateIds(), b.stateIds()));
    }

    @Test
    void missingEventsAreSkippedAndEmptyInputRefused() {
        TestGraph g = new TestGraph(RoomVersion.V11);
        Branch trunk = TestGraph.publicRoom(g, "");
        Branch b = trunk.fork();
        Pdu topic = b.send(BOB, TOPIC, "", "{'topic':'bob'}");
        Map<StateKey, EventId> a = trunk.stateIds();
        a.put(TOPIC_KEY, EventId.of("$unknown"));
        a.put(StateKey.of("m.room.name", ""), EventId.of("$alsoUnknown"));

        Map<StateKey, EventId> expected = new HashMap<>(trunk.stateIds());
        expected.put(TOPIC_KEY, topic.eventId());
        assertEquals(expected, resolve(g, a, b.stateIds()));
        assertThrows(IllegalArgumentException.class, () -> StateResolver.resolve(RoomVersion.V11, List.of(), g.source()));
        // v1 uses the original algorithm and v12 state resolution v2.1: not this one
        assertThrows(IllegalArgumentException.class, () -> StateResolver.resolve(RoomVersion.V1, List.of(a), g.source()));
        assertThrows(IllegalArgumentException.class, () -> StateResolver.resolve(RoomVersion.V12, List.of(a), g.source()));
    }
}
