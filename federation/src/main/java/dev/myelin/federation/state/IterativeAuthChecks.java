package dev.myelin.federation.state;

import dev.myelin.federation.auth.AuthEvents;
import dev.myelin.federation.auth.AuthException;
import dev.myelin.federation.auth.AuthRules;
import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.EventId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The iterative auth checks: each event in turn is checked against the authorization rules and,
 * if allowed, replaces its key in the state; an event that is not allowed is ignored. An event
 * is authorised against its own auth events, with every key that the auth events selection
 * names taken from the state being built where that state has it.
 */
final class IterativeAuthChecks {
    private IterativeAuthChecks() {
    }

    /** Applies the allowed events of {@code sorted}, in order, to {@code state}. */
    static void apply(List<Pdu> sorted, Map<StateKey, EventId> state, Events events) {
        for (Pdu event : sorted) {
            if (allowed(event, state, events)) {
                state.put(StateKey.of(event), event.eventId());
            }
        }
    }

    static boolean allowed(Pdu event, Map<StateKey, EventId> state, Events events) {
        Map<StateKey, Pdu> authState = new HashMap<>();
        for (Pdu authEvent : events.authEvents(event)) {
            if (authEvent.isState()) {
                authState.put(StateKey.of(authEvent), authEvent);
            }
        }
        try {
            for (StateKey key : AuthEvents.selectFor(event)) {
                EventId current = state.get(key);
                Pdu resolved = current == null ? null : events.orNull(current);
                if (resolved != null) {
                    authState.put(key, resolved);
                }
            }
            AuthRules.check(event, authState);
            return true;
        } catch (AuthException | IllegalArgumentException e) {
            // IllegalArgumentException: malformed content (e.g. a user ID) the rules could not read
            return false;
        }
    }
}
