package dev.myelin.federation.state;

import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.EventId;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Walks of the auth DAG: the auth chain difference of state sets, and the part of the auth
 * chains of some events that lies in a given set.
 */
final class AuthChains {
    private AuthChains() {
    }

    /**
     * The auth difference of the state sets: the events reachable through auth events from some
     * but not all of them, where the full auth chain of a state set counts the set's own events
     * (as Synapse computes it; an event that is in every state set is then in every chain).
     *
     * <p>Rather than building each full chain, this walks all chains at once from the newest
     * event down (by depth), carrying for each event the set of state sets that reach it (an
     * event whose set grows after it was passed is visited again). It stops once every event
     * still to visit is reached by all of them, so that everything below them is in every chain,
     * and none of them can reach an event passed while some set had not reached it: that holds
     * when they are less deep than every such event and depth falls along every auth edge below
     * them ({@link MonotoneDepths}; senders set depth). Otherwise the walk goes on to the end.
     * With one or two forks of a big room that is a walk over the events above the fork point
     * only, plus one fetch of each state event, once the graph's depths are known to fall.
     */
    static Set<EventId> difference(List<? extends Collection<EventId>> stateSets, Events events) {
        int k = stateSets.size();
        Map<EventId, BitSet> reachedBy = new HashMap<>();
        for (int i = 0; i < k; i++) {
            for (EventId id : stateSets.get(i)) {
                reachedBy.computeIfAbsent(id, x -> new BitSet(k)).set(i);
            }
        }
        Walk walk = new Walk(k, reachedBy);
        for (Map.Entry<EventId, BitSet> seed : reachedBy.entrySet()) {
            walk.enqueue(seed.getKey(), events);
        }
        long leastPartialDepth = Long.MAX_VALUE;
        boolean toTheEnd = false;
        while (!walk.queue.isEmpty()) {
            if (walk.partialQueued == 0 && !toTheEnd) {
                if (walk.nothingQueuedReaches(leastPartialDepth, events)) {
                    break;
                }
                toTheEnd = true;
            }
            Pdu event = walk.queue.poll();
            walk.queued.remove(event.eventId());
            BitSet mask = reachedBy.get(event.eventId());
            if (mask.cardinality() < k) {
                walk.partialQueued--;
                leastPartialDepth = Math.min(leastPartialDepth, event.depth());
            }
            for (EventId authId : event.authEventIds()) {
                walk.reach(authId, mask, events);
            }
        }
        Set<EventId> difference = new LinkedHashSet<>();
        for (Map.Entry<EventId, BitSet> e : reachedBy.entrySet()) {
            if (e.getValue().cardinality() < k) {
                difference.add(e.getKey());
            }
        }
        return difference;
    }

    /** The depth-ordered walk of {@link #difference}; counts queued events not reached by all sets. */
    private static final class Walk {
        final int k;
        final Map<EventId, BitSet> reachedBy;
        final PriorityQueue<Pdu> queue = new PriorityQueue<>(
                Comparator.comparingLong(Pdu::depth).reversed().thenComparing(p -> p.eventId().value()));
        final Set<EventId> queued = new HashSet<>();
        int partialQueued;

        Walk(int k, Map<EventId, BitSet> reachedBy) {
            this.k = k;
            this.reachedBy = reachedBy;
        }

        /**
         * Whether no queued event can reach an event of depth {@code depth} or more: each is less
         * deep, and depth falls along every auth edge below it.
         */
        boolean nothingQueuedReaches(long depth, Events events) {
            for (Pdu event : queue) {
                if (event.depth() >= depth || !events.depthFallsBelow(event)) {
                    return false;
                }
            }
            return true;
        }

        void enqueue(EventId id, Events events) {
            Pdu event = events.orNull(id);
            if (event != null && queued.add(id)) {
                queue.add(event);
                if (reachedBy.get(id).cardinality() < k) {
                    partialQueued++;
                }
            }
        }

        /** Marks {@code id} reached by the sets in {@code mask}; (re)visits it if that adds any. */
        void reach(EventId id, BitSet mask, Events events) {
            BitSet current = reachedBy.get(id);
            if (current == null) {
                reachedBy.put(id, (BitSet) mask.clone());
                enqueue(id, events);
                return;
            }
            BitSet added = (BitSet) mask.clone();
            added.andNot(current);
            if (added.isEmpty()) {
                return;
            }
            boolean wasPartial = current.cardinality() < k;
            current.or(mask);
            if (queued.contains(id)) {
                if (wasPartial && current.cardinality() == k) {
                    partialQueued--;
                }
            } else {
                // only where depth does not fall along an auth edge
                enqueue(id, events);
            }
        }
    }

    /**
     * The events of {@code within} that are in the auth chain of any of {@code from} (the events
     * themselves not counted unless another one's chain holds them). Each event is visited once.
     */
    static Set<EventId> ancestorsWithin(Collection<Pdu> from, Set<EventId> within, Events events) {
        Set<EventId> found = new LinkedHashSet<>();
        Set<EventId> seen = new HashSet<>();
        Deque<Pdu> todo = new ArrayDeque<>(from);
        while (!todo.isEmpty()) {
            Pdu event = todo.pop();
            for (EventId authId : event.authEventIds()) {
                if (!seen.add(authId)) {
                    continue;
                }
                if (within.contains(authId)) {
                    found.add(authId);
                }
                events.get(authId).ifPresent(todo::push);
            }
        }
        return found;
    }
}
