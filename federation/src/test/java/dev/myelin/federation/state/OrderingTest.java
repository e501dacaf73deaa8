package dev.myelin.federation.state;

import static dev.myelin.federation.state.TestGraph.ALICE;
import static dev.myelin.federation.state.TestGraph.BOB;
import static dev.myelin.federation.state.TestGraph.JOIN_RULES;
import static dev.myelin.federation.state.TestGraph.MEMBER;
import static dev.myelin.federation.state.TestGraph.PL;
import static dev.myelin.federation.state.TestGraph.TOPIC;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.event.RoomVersion;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.state.TestGraph.Branch;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pieces on their own: auth difference, reverse topological power ordering, mainline ordering. */
class OrderingTest {

    /**
     * Fork A: bob changes his display name twice (M1, then M2 citing M1). Fork B: alice sets a
     * topic. Chains (counting each set's own events): M1 is only reachable from A (through M2),
     * bob's original join from both (B holds it, A reaches it through M1), the topic only from B.
     */
    @Test
    void authDifference() {
        TestGraph g = new TestGraph(RoomVersion.V11);
        Branch trunk = TestGraph.publicRoom(g, "");
        Branch a = trunk.fork();
        Branch b = trunk.fork();
        Pdu m1 = a.send(BOB, MEMBER, BOB, "{'membership':'join','displayname':'1'}");
        Pdu m2 = a.send(BOB, MEMBER, BOB, "{'membership':'join','displayname':'2'}");
        Pdu topic = b.send(ALICE, TOPIC, "", "{'topic':'t'}");
        List<Collection<EventId>> sets = List.of(a.stateIds().values(), b.stateIds().values());
        Set<EventId> difference = AuthChains.difference(sets, new Events(g.source()));
        assertEquals(Set.of(m1.eventId(), m2.eventId(), topic.eventId()), difference);
    }

    /**
     * Fork A: bob (50) sends PL1 (ts 1500; he may change levels below his own), then alice
     * (100) sends PL2 citing PL1 (ts 1600). Fork B: alice changes the join rules (ts 9000),
     * unrelated to both. Alice's join rules sort first (100 > 50 and no auth ancestor in the
     * set), then PL1 (the only one ready), then PL2, which waits for its auth ancestor PL1 even
     * though its sender has more power and an earlier timestamp than the join rules.
     */
    @Test
    void reverseTopologicalPowerOrderingRespectsTheAuthDag() {
        TestGraph g = new TestGraph(RoomVersion.V11);
        Branch trunk = TestGraph.publicRoom(g, "");
        Branch a = trunk.fork();
        Branch b = trunk.fork();
        Pdu pl1 = a.sendAt(1500, BOB, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':50,'@dave:d.example':5}}");
        Pdu pl2 = a.sendAt(1600, ALICE, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':50}}");
        Pdu jr = b.sendAt(9000, ALICE, JOIN_RULES, "", "{'join_rule':'invite'}");
        List<Pdu> sorted = ReverseTopologicalOrder.sort(List.of(pl2, pl1, jr), new Events(g.source()));
        assertEquals(List.of(jr, pl1, pl2), sorted);
    }

    /**
     * Mainline of PL2 is [PL2, PL1, PL0]. A topic citing PL0 sorts before one citing PL1, which
     * sorts before one citing PL2, whatever their timestamps; an event whose power levels chain
     * reaches no mainline event (here: one citing a PL on another fork, PLx, which cites PL0)
     * takes the position of the first mainline event on that chain (PL0).
     */
    @Test
    void mainlineOrdering() {
        TestGraph g = new TestGraph(RoomVersion.V11);
        Branch trunk = TestGraph.publicRoom(g, "");
        Branch side = trunk.fork();
        Pdu onPl0 = trunk.sendAt(9000, ALICE, TOPIC, "", "{'topic':'0'}");
        Pdu pl1 = trunk.send(ALICE, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':50,'@dave:d.example':1}}");
        Pdu onPl1 = trunk.sendAt(8000, ALICE, TOPIC, "", "{'topic':'1'}");
        Pdu pl2 = trunk.send(ALICE, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':50,'@dave:d.example':2}}");
        Pdu onPl2 = trunk.sendAt(7000, ALICE, TOPIC, "", "{'topic':'2'}");
        side.send(ALICE, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':50,'@dave:d.example':3}}");
        Pdu onPlx = side.sendAt(9500, ALICE, TOPIC, "", "{'topic':'x'}");
        List<Pdu> sorted = MainlineOrder.sort(List.of(onPl2, onPlx, onPl1, onPl0), pl2, new Events(g.source()));
        assertEquals(List.of(onPl0, onPlx, onPl1, onPl2), sorted);
        assertEquals(3, MainlineOrder.mainline(pl2, new Events(g.source())).get(pl2.eventId()));
        assertEquals(2, MainlineOrder.mainline(pl2, new Events(g.source())).get(pl1.eventId()));
    }
}
