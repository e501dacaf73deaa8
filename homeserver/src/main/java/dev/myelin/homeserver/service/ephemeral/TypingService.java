package dev.myelin.homeserver.service.ephemeral;

import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.service.Streams;
import dev.myelin.homeserver.service.room.LiveRoom;
import dev.myelin.homeserver.service.room.LiveRooms;
import dev.myelin.homeserver.service.sync.Notifier;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Who is typing in each room, held in memory only. A typing notice lasts its timeout (capped);
 * {@link #expire()} ends the notices that ran out and those of users no longer joined. Every
 * change takes a position on the typing stream and wakes the room's members.
 */
public final class TypingService {
    /** How long a notice lasts when the client gives no timeout. */
    public static final long DEFAULT_TIMEOUT_MS = 30_000;
    /** The longest a notice lasts, whatever the client asks. */
    public static final long MAX_TIMEOUT_MS = 120_000;

    /** One room: each typing user with the time their notice ends, and the position of the last change. */
    private static final class RoomTyping {
        final ReentrantLock lock = new ReentrantLock();
        final Map<UserId, Long> until = new LinkedHashMap<>();
        volatile long changed;
    }

    private final Streams streams;
    private final Notifier notifier;
    private final LiveRooms rooms;
    private final Clock clock;
    private final ConcurrentHashMap<RoomId, RoomTyping> byRoom = new ConcurrentHashMap<>();

    private final EphemeralListener listener;

    public TypingService(Streams streams, Notifier notifier, LiveRooms rooms, Clock clock, EphemeralListener listener) {
        this.listener = listener;
        this.streams = streams;
        this.notifier = notifier;
        this.rooms = rooms;
        this.clock = clock;
    }

    /** {@code PUT /rooms/{roomId}/typing/{userId}}; {@code timeoutMs} null for the default. */
    public void set(UserId user, RoomId roomId, boolean typing, Long timeoutMs) {
        LiveRoom room = rooms.get(roomId).filter(r -> "join".equals(r.membership(user)))
                .orElseThrow(() -> MatrixException.forbidden("You are not joined to this room"));
        RoomTyping state = byRoom.computeIfAbsent(roomId, r -> new RoomTyping());
        boolean changed;
        state.lock.lock();
        try {
            if (typing) {
                long timeout = timeoutMs == null || timeoutMs <= 0 ? DEFAULT_TIMEOUT_MS
                        : Math.min(timeoutMs, MAX_TIMEOUT_MS);
                changed = state.until.put(user, clock.millis() + timeout) == null;
            } else {
                changed = state.until.remove(user) != null;
            }
            if (changed) {
                publish(state);
            }
        } finally {
            state.lock.unlock();
        }
        if (changed) {
            wake(room, Set.of(user));
        }
        if (changed || typing) {
            listener.typing(room, user, typing);
        }
    }

    /** The user sent a message in the room: their notice there ends, as clients expect. */
    public void stopped(UserId user, RoomId roomId) {
        RoomTyping state = byRoom.get(roomId);
        if (state == null) {
            return;
        }
        boolean changed;
        state.lock.lock();
        try {
            changed = state.until.remove(user) != null;
            if (changed) {
                publish(state);
            }
        } finally {
            state.lock.unlock();
        }
        if (changed) {
            rooms.get(roomId).ifPresent(room -> {
                wake(room, Set.of(user));
                listener.typing(room, user, false);
            });
        }
    }

    /** The users typing in the room, if its typing changed after {@code since}. */
    public Optional<List<UserId>> changedSince(RoomId roomId, long since) {
        RoomTyping state = byRoom.get(roomId);
        if (state == null || state.changed <= since) {
            return Optional.empty();
        }
        state.lock.lock();
        try {
            return Optional.of(List.copyOf(state.until.keySet()));
        } finally {
            state.lock.unlock();
        }
    }

    /** Ends the notices whose time ran out and those of users who are no longer joined. */
    public void expire() {
        long now = clock.millis();
        for (Map.Entry<RoomId, RoomTyping> entry : byRoom.entrySet()) {
            RoomTyping state = entry.getValue();
            LiveRoom room = rooms.get(entry.getKey()).orElse(null);
            Set<UserId> ended = new HashSet<>();
            state.lock.lock();
            try {
                state.until.forEach((user, until) -> {
                    if (until <= now || room == null || !room.joined().contains(user)) {
                        ended.add(user);
                    }
                });
                if (!ended.isEmpty()) {
                    state.until.keySet().removeAll(ended);
                    publish(state);
                }
            } finally {
                state.lock.unlock();
            }
            if (!ended.isEmpty() && room != null) {
                wake(room, ended);
            }
        }
    }

    private void publish(RoomTyping state) {
        streams.typing().write(position -> {
            state.changed = position;
            return null;
        });
    }

    private void wake(LiveRoom room, Set<UserId> typists) {
        List<UserId> users = new ArrayList<>(room.joined());
        users.addAll(typists);
        notifier.notify(users);
    }
}
