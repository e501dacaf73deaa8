package dev.myelin.homeserver.service.room;

import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.event.RoomVersion;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.storage.StoredEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A room's head in memory: current state, forward extremities, depth and state group. Only the
 * holder of {@link #lock()} changes it (one writer per room); readers see immutable snapshots.
 */
public final class LiveRoom {
    /** An immutable view of the head, replaced whole on every event. */
    record Head(Map<StateKey, Pdu> state, List<EventId> extremities, long maxDepth, long stateGroup,
                int chainLength, long lastStream, Set<UserId> joined, Set<UserId> invited,
                List<StoredEvent> recent, boolean recentComplete) {
    }

    /** How many of the latest events each room keeps in memory for incremental syncs. */
    static final int RECENT_EVENTS = 64;

    private final RoomId roomId;
    private final RoomVersion version;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Head head;

    LiveRoom(RoomId roomId, RoomVersion version, Map<StateKey, Pdu> state, List<EventId> extremities,
             long maxDepth, long stateGroup, int chainLength, long lastStream, boolean isNew) {
        this.roomId = roomId;
        this.version = version;
        this.head = head(state, extremities, maxDepth, stateGroup, chainLength, lastStream, List.of(), isNew);
    }

    public RoomId roomId() {
        return roomId;
    }

    public RoomVersion version() {
        return version;
    }

    ReentrantLock lock() {
        return lock;
    }

    Head head() {
        return head;
    }

    /** The current state event for a key, or null. */
    public Pdu state(String type, String stateKey) {
        return head.state().get(new StateKey(type, stateKey));
    }

    public Map<StateKey, Pdu> state() {
        return head.state();
    }

    /** The current state as event IDs. */
    public Map<StateKey, EventId> stateIds() {
        Map<StateKey, EventId> ids = new HashMap<>();
        head.state().forEach((key, pdu) -> ids.put(key, pdu.eventId()));
        return ids;
    }

    /** The user's current membership ("join", "invite", "leave", "ban", "knock") or null. */
    public String membership(UserId user) {
        Pdu member = state("m.room.member", user.value());
        return member == null ? null : member.membership();
    }

    /** The room's forward extremities: the events no other event builds on yet. */
    public List<EventId> extremities() {
        return head.extremities();
    }

    public Set<UserId> joined() {
        return head.joined();
    }

    public Set<UserId> invited() {
        return head.invited();
    }

    public long lastStream() {
        return head.lastStream();
    }

    /**
     * The room's events after stream position {@code since}, oldest first, if memory holds all of
     * them; empty when the store must be asked.
     */
    public Optional<List<StoredEvent>> eventsAfter(long since) {
        Head current = head;
        List<StoredEvent> recent = current.recent();
        if (current.lastStream() <= since) {
            return Optional.of(List.of());
        }
        boolean covered = current.recentComplete() || (!recent.isEmpty() && recent.get(0).stream() <= since);
        if (!covered) {
            return Optional.empty();
        }
        int from = recent.size();
        while (from > 0 && recent.get(from - 1).stream() > since) {
            from--;
        }
        return Optional.of(recent.subList(from, recent.size()));
    }

    /**
     * The room state just before the event at stream position {@code stream}, worked out in memory
     * by undoing, newest first, the state events from that one on; empty when memory does not hold
     * every event since then. Reads one head, so a concurrent write cannot tear the answer.
     */
    public Optional<Map<StateKey, EventId>> stateIdsBefore(long stream) {
        Head current = head;
        List<StoredEvent> recent = current.recent();
        boolean covered = current.recentComplete() || (!recent.isEmpty() && recent.get(0).stream() <= stream);
        if (!covered) {
            return Optional.empty();
        }
        Map<StateKey, EventId> ids = new HashMap<>(current.state().size() * 2);
        current.state().forEach((key, pdu) -> ids.put(key, pdu.eventId()));
        for (int i = recent.size() - 1; i >= 0 && recent.get(i).stream() >= stream; i--) {
            StoredEvent event = recent.get(i);
            if (event.pdu().isState()) {
                StateKey key = new StateKey(event.pdu().type(), event.pdu().stateKey());
                if (event.prevStateId() != null) {
                    ids.put(key, EventId.of(event.prevStateId()));
                } else {
                    ids.remove(key);
                }
            }
        }
        return Optional.of(ids);
    }

    /**
     * The latest events at or before stream position {@code to}, newest first, that memory holds,
     * and whether they reach back to the room's first event.
     */
    public Recent recentUpTo(long to) {
        Head current = head;
        List<StoredEvent> recent = current.recent();
        int end = recent.size();
        while (end > 0 && recent.get(end - 1).stream() > to) {
            end--;
        }
        return new Recent(recent.subList(0, end).reversed(), current.recentComplete());
    }

    /** Events held in memory, newest first; {@code complete} when they are all of the room's events. */
    public record Recent(List<StoredEvent> newestFirst, boolean complete) {
    }

    void advance(Map<StateKey, Pdu> state, List<EventId> extremities, long maxDepth, long stateGroup,
                 int chainLength, StoredEvent event) {
        Head current = head;
        List<StoredEvent> recent = new ArrayList<>(current.recent());
        recent.add(event);
        boolean complete = current.recentComplete();
        if (recent.size() > RECENT_EVENTS) {
            recent.remove(0);
            complete = false;
        }
        head = head(state, extremities, maxDepth, stateGroup, chainLength, event.stream(), recent, complete);
    }

    /**
     * Replaces a redacted event in the recent events and, if it is current state, in the state
     * (so that stripped state for invites and the next auth checks see its redacted form).
     */
    void replaceRecent(StoredEvent redacted) {
        Head current = head;
        List<StoredEvent> recent = new ArrayList<>(current.recent());
        recent.replaceAll(e -> e.stream() == redacted.stream() ? redacted : e);
        Map<StateKey, Pdu> state = current.state();
        Pdu pdu = redacted.pdu();
        if (pdu.isState()) {
            StateKey key = new StateKey(pdu.type(), pdu.stateKey());
            Pdu currentEntry = state.get(key);
            if (currentEntry != null && currentEntry.eventId().equals(pdu.eventId())) {
                Map<StateKey, Pdu> replaced = new HashMap<>(state);
                replaced.put(key, pdu);
                state = Map.copyOf(replaced);
            }
        }
        head = new Head(state, current.extremities(), current.maxDepth(), current.stateGroup(),
                current.chainLength(), current.lastStream(), current.joined(), current.invited(),
                List.copyOf(recent), current.recentComplete());
    }

    private static Head head(Map<StateKey, Pdu> state, List<EventId> extremities, long maxDepth, long stateGroup,
                             int chainLength, long lastStream, List<StoredEvent> recent, boolean recentComplete) {
        Set<UserId> joined = new HashSet<>();
        Set<UserId> invited = new HashSet<>();
        for (Map.Entry<StateKey, Pdu> entry : state.entrySet()) {
            if (entry.getKey().type().equals("m.room.member")) {
                String membership = String.valueOf(entry.getValue().membership());
                try {
                    UserId user = UserId.of(entry.getKey().stateKey());
                    if (membership.equals("join")) {
                        joined.add(user);
                    } else if (membership.equals("invite")) {
                        invited.add(user);
                    }
                } catch (IllegalArgumentException ignored) {
                    // a member event whose state key is no user ID cannot be current membership
                }
            }
        }
        return new Head(Map.copyOf(new HashMap<>(state)), List.copyOf(extremities), maxDepth, stateGroup,
                chainLength, lastStream, Set.copyOf(joined), Set.copyOf(invited), List.copyOf(recent), recentComplete);
    }
}
