package dev.myelin.federation.state;

import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.event.RoomVersion;
import dev.myelin.federation.id.EventId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * State resolution v2 (room versions 2 to 11, "State resolution" in the room version 2
 * specification): merges the room states at the ends of several branches of a room's graph.
 *
 * <ol>
 *   <li>Split the state sets into the unconflicted state map (keys with the same event in every
 *       set) and the conflicted state set; the full conflicted set adds the auth difference.</li>
 *   <li>The power events of the full conflicted set, with the events of their auth chains that
 *       are in it, sorted by the reverse topological power ordering, are applied with the
 *       iterative auth checks on top of the unconflicted state map.</li>
 *   <li>The other events of the full conflicted set, sorted by the mainline ordering of the power
 *       levels event so resolved, are applied the same way.</li>
 *   <li>The unconflicted state map is applied again on top.</li>
 * </ol>
 *
 * Events the source does not have are skipped (a state key whose events are all missing is left
 * out of the conflicted part of the result), never an error.
 */
public final class StateResolver {
    private StateResolver() {
    }

    /** Where the resolver reads events (state events and their auth chains) from. */
    public interface EventSource {
        Optional<Pdu> event(EventId id);
    }

    /** Resolves the given state sets (each a map key -> event ID) per state resolution v2. */
    public static Map<StateKey, EventId> resolve(RoomVersion version, List<Map<StateKey, EventId>> stateSets,
            EventSource events) {
        return resolve(version, stateSets, events, new MonotoneDepths(0));
    }

    /**
     * Like {@link #resolve(RoomVersion, List, EventSource)}, keeping what it learns of the auth
     * graph's depths in {@code depths} for later resolutions (a server's resolutions share one).
     */
    public static Map<StateKey, EventId> resolve(RoomVersion version, List<Map<StateKey, EventId>> stateSets,
            EventSource events, MonotoneDepths depths) {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(events, "events");
        if (stateSets == null || stateSets.isEmpty()) {
            throw new IllegalArgumentException("no state sets to resolve");
        }
        if (version == RoomVersion.V1 || version == RoomVersion.V12) {
            throw new IllegalArgumentException("room version " + version + " does not use state resolution v2");
        }
        Map<StateKey, EventId> first = stateSets.get(0);
        if (allEqual(stateSets)) {
            return Collections.unmodifiableMap(new HashMap<>(first));
        }
        Map<StateKey, EventId> unconflicted = new HashMap<>();
        Set<EventId> conflicted = new LinkedHashSet<>();
        split(stateSets, unconflicted, conflicted);

        Events source = new Events(events, depths);
        List<Collection<EventId>> sets = new ArrayList<>(stateSets.size());
        for (Map<StateKey, EventId> set : stateSets) {
            sets.add(set.values());
        }
        Set<EventId> fullIds = new LinkedHashSet<>(conflicted);
        fullIds.addAll(AuthChains.difference(sets, source));
        Map<EventId, Pdu> full = new LinkedHashMap<>();
        for (EventId id : fullIds) {
            Pdu event = source.orNull(id);
            if (event != null && event.isState()) {
                full.put(id, event);
            }
        }

        List<Pdu> powerEvents = new ArrayList<>();
        for (Pdu event : full.values()) {
            if (isPowerEvent(event)) {
                powerEvents.add(event);
            }
        }
        Map<EventId, Pdu> powerSet = new LinkedHashMap<>();
        for (Pdu event : powerEvents) {
            powerSet.put(event.eventId(), event);
        }
        for (EventId id : AuthChains.ancestorsWithin(powerEvents, full.keySet(), source)) {
            powerSet.put(id, full.get(id));
        }
        Map<StateKey, EventId> resolved = new HashMap<>(unconflicted);
        IterativeAuthChecks.apply(ReverseTopologicalOrder.sort(powerSet.values(), source), resolved, source);

        List<Pdu> others = new ArrayList<>();
        for (Pdu event : full.values()) {
            if (!powerSet.containsKey(event.eventId())) {
                others.add(event);
            }
        }
        EventId powerLevelsId = resolved.get(StateKey.powerLevels());
        Pdu powerLevels = powerLevelsId == null ? null : source.orNull(powerLevelsId);
        IterativeAuthChecks.apply(MainlineOrder.sort(others, powerLevels, source), resolved, source);

        resolved.putAll(unconflicted);
        return Collections.unmodifiableMap(resolved);
    }

    /**
     * A power event: {@code m.room.power_levels}, {@code m.room.join_rules}, a member event whose
     * membership is {@code leave} or {@code ban} and whose sender is not its state key (a kick or
     * ban), and (as implementations treat it) {@code m.room.create}.
     */
    static boolean isPowerEvent(Pdu event) {
        if (!event.isState()) {
            return false;
        }
        String type = event.type();
        if (type.equals(StateKey.POWER_LEVELS) || type.equals(StateKey.JOIN_RULES) || type.equals(StateKey.CREATE)) {
            return true;
        }
        String membership = event.membership();
        return type.equals(StateKey.MEMBER) && ("leave".equals(membership) || "ban".equals(membership))
                && !event.sender().value().equals(event.stateKey());
    }

    private static boolean allEqual(List<Map<StateKey, EventId>> stateSets) {
        Map<StateKey, EventId> first = stateSets.get(0);
        for (int i = 1; i < stateSets.size(); i++) {
            if (!first.equals(stateSets.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Keys with the same event in every set go to {@code unconflicted}; every other event to {@code conflicted}. */
    static void split(List<Map<StateKey, EventId>> stateSets, Map<StateKey, EventId> unconflicted,
            Set<EventId> conflicted) {
        Set<StateKey> keys = new LinkedHashSet<>();
        for (Map<StateKey, EventId> set : stateSets) {
            keys.addAll(set.keySet());
        }
        for (StateKey key : keys) {
            EventId value = stateSets.get(0).get(key);
            boolean same = value != null;
            for (int i = 1; same && i < stateSets.size(); i++) {
                same = value.equals(stateSets.get(i).get(key));
            }
            if (same) {
                unconflicted.put(key, value);
                continue;
            }
            for (Map<StateKey, EventId> set : stateSets) {
                EventId id = set.get(key);
                if (id != null) {
                    conflicted.add(id);
                }
            }
        }
    }
}
