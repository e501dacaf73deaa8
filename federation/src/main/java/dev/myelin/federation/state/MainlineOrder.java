package dev.myelin.federation.state;

import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.EventId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The mainline ordering based on a power levels event P: the mainline of P is
 * {@code [P, P1, ..., Pn]}, each the power levels event among the auth events of the one
 * before. An event's closest mainline event is the first mainline event met when descending
 * through the power levels events of its auth events (the event itself not counted). Events
 * sort by the position of their closest mainline event, older (further down the mainline)
 * first, with events that reach no mainline event before all others; then by
 * {@code origin_server_ts}; then by event ID.
 */
final class MainlineOrder {
    private MainlineOrder() {
    }

    /** Sorts {@code set} by the mainline of {@code powerLevels} (null when there is none). */
    static List<Pdu> sort(Collection<Pdu> set, Pdu powerLevels, Events events) {
        Map<EventId, Integer> position = mainline(powerLevels, events);
        Map<EventId, Integer> closest = new HashMap<>();
        Map<EventId, Integer> key = new HashMap<>();
        for (Pdu event : set) {
            key.put(event.eventId(), closestPosition(event, position, closest, events));
        }
        List<Pdu> sorted = new ArrayList<>(set);
        sorted.sort(Comparator.<Pdu>comparingInt(e -> key.get(e.eventId()))
                .thenComparingLong(Pdu::originServerTs)
                .thenComparing(e -> e.eventId().value()));
        return sorted;
    }

    /** The mainline of {@code powerLevels} with positions: its oldest event 1, {@code powerLevels} itself n+1. */
    static Map<EventId, Integer> mainline(Pdu powerLevels, Events events) {
        List<EventId> line = new ArrayList<>();
        Set<EventId> seen = new HashSet<>();
        for (Pdu p = powerLevels; p != null && seen.add(p.eventId()); p = events.authEvent(p, StateKey.powerLevels())) {
            line.add(p.eventId());
        }
        Map<EventId, Integer> position = new HashMap<>();
        for (int i = 0; i < line.size(); i++) {
            position.put(line.get(i), line.size() - i);
        }
        return position;
    }

    /**
     * The position of the event's closest mainline event, or 0 if it reaches none. The answer
     * for every power levels event passed on the way is memoised in {@code closest}.
     */
    private static int closestPosition(Pdu event, Map<EventId, Integer> position, Map<EventId, Integer> closest,
            Events events) {
        List<EventId> passed = new ArrayList<>();
        Set<EventId> seen = new HashSet<>();
        int found = 0;
        Pdu p = events.authEvent(event, StateKey.powerLevels());
        while (p != null && seen.add(p.eventId())) {
            Integer known = position.get(p.eventId());
            if (known == null) {
                known = closest.get(p.eventId());
            }
            if (known != null) {
                found = known;
                break;
            }
            passed.add(p.eventId());
            p = events.authEvent(p, StateKey.powerLevels());
        }
        for (EventId id : passed) {
            closest.put(id, found);
        }
        return found;
    }
}
