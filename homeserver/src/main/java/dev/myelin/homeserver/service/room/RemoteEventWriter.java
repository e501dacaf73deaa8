package dev.myelin.homeserver.service.room;

import dev.myelin.federation.auth.AuthEvents;
import dev.myelin.federation.auth.AuthException;
import dev.myelin.federation.auth.AuthRules;
import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.service.EventCache;
import dev.myelin.homeserver.service.Streams;
import dev.myelin.homeserver.service.sync.Notifier;
import dev.myelin.homeserver.storage.EventStore;
import dev.myelin.homeserver.storage.NewEvent;
import dev.myelin.homeserver.storage.RoomStateStore;
import dev.myelin.homeserver.storage.StoredEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Adds an event received over federation to a room's timeline, under the room's lock: works out
 * the state before it from its prev_events (resolving where they differ), checks it against the
 * authorization rules at that state ("rejected") and at the current state ("soft-failed"),
 * persists it with the state after it, moves the forward extremities and the current state
 * (resolved when the graph forks), and wakes the members.
 */
public final class RemoteEventWriter {
    /** What became of an event. */
    public enum Outcome { ACCEPTED, ALREADY_KNOWN, SOFT_FAILED }

    /** The state before an event that its prev_events cannot give (a gap in the graph, a join). */
    public record StateBefore(Map<StateKey, EventId> ids) {
    }

    private final EventStore store;
    private final RoomStateStore roomStore;
    private final EventCache cache;
    private final Streams streams;
    private final Notifier notifier;
    private final UserMemberships memberships;
    private final CommitHook commitHook;
    private final StateResolution resolution;
    private final LiveRooms rooms;

    public RemoteEventWriter(LiveRooms rooms, EventStore store, RoomStateStore roomStore, EventCache cache,
                             Streams streams, Notifier notifier, UserMemberships memberships, CommitHook commitHook,
                             StateResolution resolution) {
        this.rooms = rooms;
        this.store = store;
        this.roomStore = roomStore;
        this.cache = cache;
        this.streams = streams;
        this.notifier = notifier;
        this.memberships = memberships;
        this.commitHook = commitHook;
        this.resolution = resolution;
    }

    /**
     * Writes an event whose prev_events are all in the room's timeline, or whose state before is
     * given. Throws {@link AuthException} when the state before it does not allow it.
     */
    public Outcome write(LiveRoom room, Pdu pdu, Optional<StateBefore> given) {
        room.lock().lock();
        try {
            Optional<StoredEvent> known = cache.get(pdu.eventId());
            if (known.isPresent() && known.get().stream() != 0) {
                return Outcome.ALREADY_KNOWN;
            }
            LiveRoom.Head head = room.head();
            Before before = given.map(b -> new Before(b.ids(), 0, 0)).orElseGet(() -> stateBefore(room, head, pdu));
            AuthRules.check(pdu, pdus(authSubset(pdu, before.ids())));
            if (!head.state().isEmpty()) {
                try {
                    AuthRules.check(pdu, head.state());
                } catch (AuthException e) {
                    return Outcome.SOFT_FAILED;
                }
            }
            commit(room, head, pdu, before, false, false);
            return Outcome.ACCEPTED;
        } finally {
            room.lock().unlock();
        }
    }

    /**
     * Starts a room this server joins over federation with its own join event, on the state
     * before it that the resident server returned (already checked by the caller).
     */
    public LiveRoom join(Pdu join, StateBefore state) {
        Optional<LiveRoom> known = rooms.get(join.roomId());
        if (known.isPresent()) {
            return rejoin(known.get(), join, state);
        }
        LiveRoom room = rooms.create(join.roomId(), join.roomVersion());
        try {
            room.lock().lock();
            try {
                AuthRules.check(join, pdus(authSubset(join, state.ids())));
                commit(room, room.head(), join, new Before(state.ids(), 0, 0), true, true);
            } finally {
                room.lock().unlock();
            }
            return room;
        } catch (RuntimeException e) {
            rooms.discard(join.roomId());
            throw e;
        }
    }

    /**
     * Joins again a room this server knows but left (no local member stayed): its history from
     * then on is taken from the resident server's state, and the join becomes the one extremity.
     */
    private LiveRoom rejoin(LiveRoom room, Pdu join, StateBefore state) {
        room.lock().lock();
        try {
            AuthRules.check(join, pdus(authSubset(join, state.ids())));
            commit(room, room.head(), join, new Before(state.ids(), 0, 0), false, true);
            return room;
        } finally {
            room.lock().unlock();
        }
    }

    /** The state before an event, its group (0 when it has none) and that group's chain length. */
    private record Before(Map<StateKey, EventId> ids, long group, int chainLength) {
    }

    private Before stateBefore(LiveRoom room, LiveRoom.Head head, Pdu pdu) {
        if (new HashSet<>(pdu.prevEventIds()).equals(new HashSet<>(head.extremities()))) {
            return new Before(ids(head.state()), head.stateGroup(), head.chainLength());
        }
        List<StoredEvent> prevs = cache.getAll(pdu.prevEventIds());
        List<Map<StateKey, EventId>> states = new ArrayList<>();
        for (StoredEvent prev : prevs) {
            if (prev.stream() == 0) {
                throw new IllegalStateException("prev_event " + prev.pdu().eventId() + " is not in the timeline");
            }
            Map<StateKey, EventId> after = new HashMap<>(roomStore.stateOfGroup(prev.stateGroup()));
            states.add(after);
        }
        if (states.size() != pdu.prevEventIds().size()) {
            throw new IllegalStateException("missing prev_events of " + pdu.eventId());
        }
        if (prevs.size() == 1) {
            return new Before(states.get(0), prevs.get(0).stateGroup(), EventWriter.MAX_CHAIN_LENGTH);
        }
        return new Before(resolution.resolve(room.version(), states, Optional.empty()), 0, 0);
    }

    /** The state after an event and the state group that records it. */
    private record After(Map<StateKey, EventId> ids, long group, Long newGroup, Long prevGroup, int chainLength,
                         List<NewEvent.StateEntry> snapshot, String prevStateId) {
    }

    private After stateAfter(Pdu pdu, Before before) {
        if (!pdu.isState() && before.group() != 0) {
            return new After(before.ids(), before.group(), null, null, before.chainLength(), null, null);
        }
        Map<StateKey, EventId> ids = new HashMap<>(before.ids());
        String prevStateId = null;
        if (pdu.isState()) {
            EventId replaced = ids.put(StateKey.of(pdu), pdu.eventId());
            prevStateId = replaced == null ? null : replaced.value();
        }
        long group = streams.nextStateGroup();
        if (before.group() == 0 || before.chainLength() >= EventWriter.MAX_CHAIN_LENGTH || !pdu.isState()) {
            return new After(ids, group, group, null, 0, entries(ids), prevStateId);
        }
        return new After(ids, group, group, before.group(), before.chainLength() + 1, null, prevStateId);
    }

    /** {@code fresh}: the event starts the room's head anew (a join through send_join), not a branch of it. */
    private void commit(LiveRoom room, LiveRoom.Head head, Pdu pdu, Before before, boolean creating, boolean fresh) {
        After after = stateAfter(pdu, before);
        Set<EventId> extremitySet = new LinkedHashSet<>(fresh ? List.of() : head.extremities());
        pdu.prevEventIds().forEach(extremitySet::remove);
        extremitySet.add(pdu.eventId());
        List<EventId> extremities = List.copyOf(extremitySet);
        Map<StateKey, EventId> current = after.ids();
        if (extremities.size() > 1) {
            current = resolution.resolve(room.version(), statesAfter(extremities, pdu, after.ids()), Optional.of(pdu));
        }
        Long currentGroup = current.equals(after.ids()) ? null : streams.nextStateGroup();
        Map<StateKey, Pdu> currentPdus = pdus(current);
        if (pdu.isState() && pdu.eventId().equals(current.get(StateKey.of(pdu)))) {
            currentPdus.put(StateKey.of(pdu), pdu); // not in the cache before it is written
        }
        NewEvent.CurrentState change = currentChange(head, pdu, current, currentPdus, currentGroup);
        NewEvent.Redaction redaction = EventWriter.redactionOf(cache, room, pdu);
        Consumer<StoredEvent> onCommit = commitHook.prepare(room, pdu);
        StoredEvent stored = streams.roomEvents().write(position -> {
            StoredEvent event = new StoredEvent(position, pdu, after.group(), after.prevStateId(), null, null, null);
            NewEvent.Membership membership = pdu.type().equals(StateKey.MEMBER) && change == null
                    ? new NewEvent.Membership(UserId.of(pdu.stateKey()), pdu.membership()) : null;
            store.persist(new NewEvent(event, creating ? room.version().id() : null, after.newGroup(),
                    after.prevGroup(), after.chainLength(), after.snapshot(), extremities, membership, null,
                    redaction, change));
            room.advance(currentPdus, extremities, Math.max(head.maxDepth(), pdu.depth()),
                    currentGroup != null ? currentGroup : after.group(), currentGroup != null ? 0 : after.chainLength(),
                    event);
            updateMemberships(room, head, currentPdus, position);
            onCommit.accept(event);
            return event;
        });
        EventWriter.published(cache, notifier, room, stored, redaction);
    }

    /**
     * The state after each forward extremity: the current state is their resolution, worked out
     * afresh (not from the previous current state), so that every server holding the same events
     * reaches the same state, and this server's next event builds on exactly that.
     */
    private List<Map<StateKey, EventId>> statesAfter(List<EventId> extremities, Pdu pdu, Map<StateKey, EventId> after) {
        List<Map<StateKey, EventId>> states = new ArrayList<>();
        for (EventId id : extremities) {
            if (id.equals(pdu.eventId())) {
                states.add(after);
            } else {
                cache.get(id).filter(e -> e.stream() != 0)
                        .ifPresent(e -> states.add(roomStore.stateOfGroup(e.stateGroup())));
            }
        }
        return states;
    }

    /** Null when the current state changes by the event's own entry only (the common case). */
    private static NewEvent.CurrentState currentChange(LiveRoom.Head head, Pdu pdu, Map<StateKey, EventId> current,
                                                       Map<StateKey, Pdu> currentPdus, Long currentGroup) {
        List<NewEvent.StateEntry> changed = new ArrayList<>();
        List<StateKey> removed = new ArrayList<>();
        List<NewEvent.MemberChange> members = new ArrayList<>();
        current.forEach((key, id) -> {
            Pdu old = head.state().get(key);
            if (old == null || !old.eventId().equals(id)) {
                changed.add(new NewEvent.StateEntry(key, id));
                Pdu member = currentPdus.get(key);
                if (key.type().equals(StateKey.MEMBER) && member != null && UserId.isValid(key.stateKey())) {
                    members.add(new NewEvent.MemberChange(UserId.of(key.stateKey()), member.membership(), id));
                }
            }
        });
        head.state().keySet().stream().filter(key -> !current.containsKey(key)).forEach(removed::add);
        boolean ownEntryOnly = currentGroup == null && removed.isEmpty()
                && (changed.isEmpty() || changed.size() == 1 && changed.get(0).eventId().equals(pdu.eventId()));
        if (ownEntryOnly && !head.state().isEmpty()) {
            return null;
        }
        return new NewEvent.CurrentState(currentGroup, currentGroup == null ? null : entries(current), changed,
                removed, members);
    }

    private void updateMemberships(LiveRoom room, LiveRoom.Head head, Map<StateKey, Pdu> current, long position) {
        current.forEach((key, pdu) -> {
            Pdu old = head.state().get(key);
            if (key.type().equals(StateKey.MEMBER) && (old == null || !old.eventId().equals(pdu.eventId()))) {
                try {
                    memberships.update(new RoomStateStore.MembershipRow(room.roomId(), UserId.of(key.stateKey()),
                            pdu.membership(), pdu.eventId(), position));
                } catch (IllegalArgumentException ignored) {
                    // a member event whose state key is no user ID
                }
            }
        });
    }

    private static Map<StateKey, EventId> authSubset(Pdu pdu, Map<StateKey, EventId> state) {
        Map<StateKey, EventId> subset = new HashMap<>();
        for (StateKey key : AuthEvents.selectFor(pdu)) {
            EventId id = state.get(key);
            if (id != null) {
                subset.put(key, id);
            }
        }
        return subset;
    }

    private Map<StateKey, Pdu> pdus(Map<StateKey, EventId> ids) {
        Map<EventId, Pdu> byId = new HashMap<>();
        cache.getAll(ids.values()).forEach(e -> byId.put(e.pdu().eventId(), e.pdu()));
        Map<StateKey, Pdu> state = new HashMap<>();
        ids.forEach((key, id) -> {
            Pdu pdu = byId.get(id);
            if (pdu != null) {
                state.put(key, pdu);
            }
        });
        return state;
    }

    private static Map<StateKey, EventId> ids(Map<StateKey, Pdu> state) {
        Map<StateKey, EventId> ids = new HashMap<>(state.size() * 2);
        state.forEach((key, pdu) -> ids.put(key, pdu.eventId()));
        return ids;
    }

    private static List<NewEvent.StateEntry> entries(Map<StateKey, EventId> state) {
        List<NewEvent.StateEntry> entries = new ArrayList<>(state.size());
        state.forEach((key, id) -> entries.add(new NewEvent.StateEntry(key, id)));
        return entries;
    }
}
