package dev.myelin.homeserver.service.room;

import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.service.EventCache;
import dev.myelin.homeserver.storage.RoomStateStore;
import dev.myelin.homeserver.storage.StoredEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What history visibility reads from the room state at an event: the visibility setting and one
 * user's membership. Messages share their room's state group, so a page of events asks about a
 * handful of groups; each answer is one query and is kept, since a state group never changes.
 */
final class StateAtEvent {
    private static final StateKey VISIBILITY = new StateKey("m.room.history_visibility", "");
    private static final int CAPACITY = 100_000;

    /** The facts at one state group for one user; membership is null when the user has no member event. */
    record Facts(HistoryVisibility visibility, String membership) {
    }

    private record CacheKey(long stateGroup, UserId user) {
    }

    private final RoomStateStore roomStore;
    private final EventCache events;
    private final Map<CacheKey, Facts> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<CacheKey, Facts> eldest) {
            return size() > CAPACITY;
        }
    };

    StateAtEvent(RoomStateStore roomStore, EventCache events) {
        this.roomStore = roomStore;
        this.events = events;
    }

    /** The facts of the room state after the event (its state group). */
    Facts at(StoredEvent event, UserId user) {
        CacheKey key = new CacheKey(event.stateGroup(), user);
        synchronized (cache) {
            Facts hit = cache.get(key);
            if (hit != null) {
                return hit;
            }
        }
        StateKey member = new StateKey("m.room.member", user.value());
        Map<StateKey, EventId> state = roomStore.stateOfGroup(event.stateGroup(), List.of(VISIBILITY, member));
        Facts facts = new Facts(HistoryVisibility.of(pdu(state.get(VISIBILITY))), membership(pdu(state.get(member))));
        synchronized (cache) {
            cache.put(key, facts);
        }
        return facts;
    }

    private Pdu pdu(EventId id) {
        return id == null ? null : events.get(id).map(StoredEvent::pdu).orElse(null);
    }

    private static String membership(Pdu member) {
        return member == null ? null : member.membership();
    }
}
