package dev.myelin.federation.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.event.PduBuilder;
import dev.myelin.federation.event.RoomVersion;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link AuthChains#difference} walks all chains at once and stops early; on random auth graphs
 * (depth decreasing along auth edges, and not) it must agree with the definition: the union of
 * the full auth chains of the state sets (each counting its own events) minus their intersection.
 */
class AuthChainDifferenceTest {
    private static final RoomId ROOM = RoomId.of("!graph:a.example");
    private static final UserId SENDER = UserId.of("@alice:a.example");

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void agreesWithTheDefinitionOnRandomGraphs(boolean depthDecreasesAlongAuthEdges) {
        Random random = new Random(depthDecreasesAlongAuthEdges ? 4 : 5);
        for (int graph = 0; graph < 200; graph++) {
            List<Pdu> events = randomGraph(random, 25, depthDecreasesAlongAuthEdges);
            Map<EventId, Pdu> byId = new HashMap<>();
            events.forEach(e -> byId.put(e.eventId(), e));
            List<Set<EventId>> stateSets = new ArrayList<>();
            for (int k = 2 + random.nextInt(2); k > 0; k--) {
                Set<EventId> set = new HashSet<>();
                for (int n = 1 + random.nextInt(6); n > 0; n--) {
                    set.add(events.get(random.nextInt(events.size())).eventId());
                }
                stateSets.add(set);
            }
            Set<EventId> actual = AuthChains.difference(stateSets,
                    new Events(id -> Optional.ofNullable(byId.get(id))));
            assertEquals(byDefinition(stateSets, byId), actual, "graph " + graph);
        }
    }

    /** Events each citing up to three earlier ones as auth events. */
    private static List<Pdu> randomGraph(Random random, int size, boolean depthDecreasesAlongAuthEdges) {
        List<Pdu> events = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            List<EventId> auth = new ArrayList<>();
            for (int n = events.isEmpty() ? 0 : random.nextInt(4); n > 0; n--) {
                EventId cited = events.get(random.nextInt(events.size())).eventId();
                if (!auth.contains(cited)) {
                    auth.add(cited);
                }
            }
            long depth = depthDecreasesAlongAuthEdges ? i + 1 : 1 + random.nextInt(size);
            events.add(PduBuilder.create(RoomVersion.V10).roomId(ROOM).sender(SENDER).type("m.room.topic")
                    .stateKey("").content(TestGraph.json("{'topic':'" + i + "'}")).prevEvents(List.of())
                    .authEvents(auth).depth(depth).originServerTs(1_000 + i).origin(SENDER.server())
                    .signingKey(TestGraph.KEY).build());
        }
        return events;
    }

    private static Set<EventId> byDefinition(List<Set<EventId>> stateSets, Map<EventId, Pdu> byId) {
        Set<EventId> union = new HashSet<>();
        Set<EventId> intersection = null;
        for (Collection<EventId> set : stateSets) {
            Set<EventId> chain = fullChain(set, byId);
            union.addAll(chain);
            if (intersection == null) {
                intersection = chain;
            } else {
                intersection.retainAll(chain);
            }
        }
        union.removeAll(intersection);
        return union;
    }

    private static Set<EventId> fullChain(Collection<EventId> set, Map<EventId, Pdu> byId) {
        Set<EventId> chain = new HashSet<>(set);
        Deque<EventId> todo = new ArrayDeque<>(set);
        while (!todo.isEmpty()) {
            for (EventId auth : byId.get(todo.pop()).authEventIds()) {
                if (chain.add(auth)) {
                    todo.push(auth);
                }
            }
        }
        return chain;
    }
}
