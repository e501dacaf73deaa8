package dev.myelin.federation.state;

import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.EventId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Whether {@code depth} falls along every auth edge below an event: each event of its auth chain
 * (itself included) is deeper than each of its auth events. Senders set depth, so only then may
 * depth order a walk of the auth graph ({@link AuthChains#difference}); honest servers' events
 * always qualify, since auth events precede an event in the room's graph.
 *
 * <p>The answer for an event never changes (its ID, a hash of it from room version 3 on, fixes
 * its auth events and depth), so answers are kept across resolutions and threads, up to a
 * capacity (the least recently used go first). An answer that met a missing auth event or a
 * cycle (possible only where event IDs are not hashes) is "no" and is not kept: once the event
 * is there it may differ.
 */
public final class MonotoneDepths {
    private record Fact(long depth, boolean monotone) {
    }

    private final Map<EventId, Fact> known;

    public MonotoneDepths(int capacity) {
        this.known = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<EventId, Fact> eldest) {
                return size() > capacity;
            }
        };
    }

    private synchronized Fact known(EventId id) {
        return known.get(id);
    }

    private synchronized void remember(EventId id, Fact fact) {
        known.put(id, fact);
    }

    /**
     * One resolution's view. Its own answers stay for its length (those that may not be kept
     * across resolutions too, and those the shared capacity pushes out), so that each event is
     * walked at most once.
     */
    final class Walk {
        private final Map<EventId, Fact> answers = new HashMap<>();
        private final Set<EventId> incomplete = new HashSet<>();

        /** Whether depth falls along every auth edge below {@code root}, walking (iteratively) what is not known yet. */
        boolean below(Pdu root, Events events) {
            Fact done = lookup(root.eventId());
            if (done != null) {
                return done.monotone();
            }
            Deque<Pdu> path = new ArrayDeque<>();
            Set<EventId> onPath = new HashSet<>();
            path.push(root);
            onPath.add(root.eventId());
            while (!path.isEmpty()) {
                Pdu top = path.peek();
                Pdu next = null;
                boolean monotone = true;
                boolean complete = true;
                for (EventId authId : top.authEventIds()) {
                    Fact fact = lookup(authId);
                    if (fact != null) {
                        monotone &= fact.monotone() && fact.depth() < top.depth();
                        complete &= !incomplete.contains(authId);
                        continue;
                    }
                    Pdu auth = onPath.contains(authId) ? null : events.orNull(authId);
                    if (auth == null) {
                        monotone = false; // missing, or an edge back onto the path (a cycle)
                        complete = false;
                        continue;
                    }
                    next = auth;
                    break;
                }
                if (next != null) {
                    path.push(next);
                    onPath.add(next.eventId());
                    continue;
                }
                path.pop();
                onPath.remove(top.eventId());
                Fact fact = new Fact(top.depth(), monotone);
                answers.put(top.eventId(), fact);
                if (complete) {
                    remember(top.eventId(), fact);
                } else {
                    incomplete.add(top.eventId());
                }
            }
            return lookup(root.eventId()).monotone();
        }

        private Fact lookup(EventId id) {
            Fact fact = answers.get(id);
            return fact != null ? fact : known(id);
        }
    }
}
