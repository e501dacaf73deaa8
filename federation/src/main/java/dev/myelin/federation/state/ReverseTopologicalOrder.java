package dev.myelin.federation.state;

import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.EventId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The reverse topological power ordering of a set of events: the lexicographically smallest
 * topological ordering of the auth DAG restricted to the set, earliest event first, where
 * {@code x < y} if x's sender has the greater power level (each as its own auth events grant
 * it), then the smaller {@code origin_server_ts}, then the smaller event ID.
 *
 * <p>"Restricted to the set" keeps the order the auth DAG imposes between members of the set
 * even when the path between them passes through events outside it: y precedes x whenever y is
 * in x's auth chain. Kahn's algorithm with a priority queue yields the smallest such ordering.
 */
final class ReverseTopologicalOrder {
    private ReverseTopologicalOrder() {
    }

    static List<Pdu> sort(Collection<Pdu> set, Events events) {
        List<Pdu> members = new ArrayList<>(set);
        Map<EventId, Integer> index = new HashMap<>();
        for (int i = 0; i < members.size(); i++) {
            index.put(members.get(i).eventId(), i);
        }
        Map<EventId, BitSet> below = new HashMap<>();
        int[] pending = new int[members.size()];
        List<List<Integer>> dependents = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            dependents.add(new ArrayList<>());
        }
        for (int i = 0; i < members.size(); i++) {
            BitSet ancestors = ancestorsInSet(members.get(i), index, below, events);
            pending[i] = ancestors.cardinality();
            for (int a = ancestors.nextSetBit(0); a >= 0; a = ancestors.nextSetBit(a + 1)) {
                dependents.get(a).add(i);
            }
        }
        Comparator<Integer> order = Comparator.<Integer>comparingLong(i -> -events.senderPowerLevel(members.get(i)))
                .thenComparingLong(i -> members.get(i).originServerTs())
                .thenComparing(i -> members.get(i).eventId().value());
        PriorityQueue<Integer> ready = new PriorityQueue<>(order);
        for (int i = 0; i < members.size(); i++) {
            if (pending[i] == 0) {
                ready.add(i);
            }
        }
        List<Pdu> sorted = new ArrayList<>(members.size());
        while (!ready.isEmpty()) {
            int next = ready.poll();
            sorted.add(members.get(next));
            for (int dependent : dependents.get(next)) {
                if (--pending[dependent] == 0) {
                    ready.add(dependent);
                }
            }
        }
        // events on an auth cycle (only a malicious history has one) never become ready: dropped
        return sorted;
    }

    /**
     * The members of the set (as indexes) in the auth chain of {@code root}, memoised in
     * {@code below} for every event on the way; an iterative post-order walk, so deep histories
     * do not exhaust the stack. An edge back onto the walk's own path (a cycle) is ignored.
     */
    private static BitSet ancestorsInSet(Pdu root, Map<EventId, Integer> index, Map<EventId, BitSet> below,
            Events events) {
        Deque<Pdu> path = new ArrayDeque<>();
        Set<EventId> onPath = new HashSet<>();
        if (!below.containsKey(root.eventId())) {
            path.push(root);
            onPath.add(root.eventId());
        }
        while (!path.isEmpty()) {
            Pdu top = path.peek();
            Pdu unvisited = null;
            for (EventId authId : top.authEventIds()) {
                if (below.containsKey(authId) || onPath.contains(authId)) {
                    continue;
                }
                unvisited = events.orNull(authId);
                if (unvisited != null) {
                    break;
                }
                below.put(authId, new BitSet());
            }
            if (unvisited != null) {
                path.push(unvisited);
                onPath.add(unvisited.eventId());
                continue;
            }
            path.pop();
            onPath.remove(top.eventId());
            BitSet ancestors = new BitSet();
            for (EventId authId : top.authEventIds()) {
                Integer i = index.get(authId);
                if (i != null) {
                    ancestors.set(i);
                }
                BitSet further = below.get(authId);
                if (further != null) {
                    ancestors.or(further);
                }
            }
            below.put(top.eventId(), ancestors);
        }
        return below.get(root.eventId());
    }
}
