package dev.myelin.federation.state;

import dev.myelin.federation.auth.PowerLevels;
import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.EventId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The events one resolution reads, each fetched from the {@link StateResolver.EventSource} at
 * most once (a miss is remembered too). Missing events are skipped by every caller.
 */
final class Events {
    private final StateResolver.EventSource source;
    private final Map<EventId, Optional<Pdu>> cache = new HashMap<>();
    private final Map<EventId, Long> senderLevels = new HashMap<>();

    private final MonotoneDepths.Walk monotoneDepths;

    /** Events of one resolution that keeps nothing for the next. */
    Events(StateResolver.EventSource source) {
        this(source, new MonotoneDepths(0));
    }

    Events(StateResolver.EventSource source, MonotoneDepths monotoneDepths) {
        this.source = source;
        this.monotoneDepths = monotoneDepths.new Walk();
    }

    Optional<Pdu> get(EventId id) {
        Optional<Pdu> cached = cache.get(id);
        if (cached == null) {
            Optional<Pdu> fetched = source.event(id);
            cached = fetched == null ? Optional.empty() : fetched;
            cache.put(id, cached);
        }
        return cached;
    }

    /** Whether depth falls along every auth edge below the event (see {@link MonotoneDepths}). */
    boolean depthFallsBelow(Pdu event) {
        return monotoneDepths.below(event, this);
    }

    /** The event, or null when the source does not have it. */
    Pdu orNull(EventId id) {
        return get(id).orElse(null);
    }

    /** The auth events of {@code event} that the source has, in the order the event cites them. */
    List<Pdu> authEvents(Pdu event) {
        List<Pdu> found = new ArrayList<>(event.authEventIds().size());
        for (EventId id : event.authEventIds()) {
            get(id).ifPresent(found::add);
        }
        return found;
    }

    /** The first auth event of {@code event} with the given state key, or null. */
    Pdu authEvent(Pdu event, StateKey key) {
        for (EventId id : event.authEventIds()) {
            Pdu p = orNull(id);
            if (p != null && p.isState(key.type(), key.stateKey())) {
                return p;
            }
        }
        return null;
    }

    /**
     * The power level of the event's sender as its own auth events grant it: from the power levels
     * event among them, else 100 for the room creator named by the create event among them and 0
     * for everyone else.
     */
    long senderPowerLevel(Pdu event) {
        Long level = senderLevels.get(event.eventId());
        if (level == null) {
            Pdu powerLevels = authEvent(event, StateKey.powerLevels());
            Pdu create = powerLevels == null ? authEvent(event, StateKey.create()) : null;
            level = PowerLevels.of(powerLevels, create).userLevel(event.sender());
            senderLevels.put(event.eventId(), level);
        }
        return level;
    }
}
