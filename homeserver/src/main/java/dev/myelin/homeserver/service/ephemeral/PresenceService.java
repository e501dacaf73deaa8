package dev.myelin.homeserver.service.ephemeral;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.service.Streams;
import dev.myelin.homeserver.service.room.LiveRoom;
import dev.myelin.homeserver.service.room.LiveRooms;
import dev.myelin.homeserver.service.room.UserMemberships;
import dev.myelin.homeserver.service.sync.Notifier;
import dev.myelin.homeserver.storage.PresenceStore;
import dev.myelin.homeserver.storage.PresenceStore.Presence;
import dev.myelin.homeserver.storage.RoomStateStore.MembershipRow;
import dev.myelin.homeserver.storage.StoredEvent;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Users' presence: {@code online}, {@code unavailable} or {@code offline} with a status message,
 * persisted so that a restart keeps it. A client's {@code /sync} with {@code set_presence}
 * (default online) brings an offline user online; {@code PUT /presence} sets any state; read
 * receipts and typing count as activity. {@link #expire()} applies the timeouts: online without
 * activity for {@link #IDLE_AFTER_MS} becomes unavailable, and a user with no {@code /sync} running
 * for {@link #OFFLINE_AFTER_MS} becomes offline. Each change takes a position on the presence
 * stream and wakes the user and everyone who shares a room with them.
 */
public final class PresenceService {
    public static final String ONLINE = "online";
    public static final String UNAVAILABLE = "unavailable";
    public static final String OFFLINE = "offline";
    private static final Set<String> STATES = Set.of(ONLINE, UNAVAILABLE, OFFLINE);
    /** Online users without activity for this long become unavailable. */
    public static final long IDLE_AFTER_MS = 5 * 60_000;
    /** Users with no {@code /sync} running for this long after their last one become offline. */
    public static final long OFFLINE_AFTER_MS = 30_000;
    /** An online user active within this long (or syncing now) is {@code currently_active}. */
    public static final long CURRENTLY_ACTIVE_MS = 60_000;
    private static final int MAX_STATUS_MSG_LENGTH = 1024;

    /** A user whose client is connected: syncs running now and when the last one ended. */
    private static final class Connection {
        int syncing;
        long lastSeen;
        /** Whether the current unavailable state came from the idle timeout, not from the client. */
        boolean idle;
    }

    private final PresenceStore store;
    private final Streams streams;
    private final Notifier notifier;
    private final UserMemberships memberships;
    private final LiveRooms rooms;
    private final Clock clock;
    private final EphemeralListener listener;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ConcurrentHashMap<UserId, Optional<Presence>> cache = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UserId, Connection> connections = new ConcurrentHashMap<>();

    public PresenceService(PresenceStore store, Streams streams, Notifier notifier, UserMemberships memberships,
                           LiveRooms rooms, Clock clock, EphemeralListener listener) {
        this.listener = listener;
        this.store = store;
        this.streams = streams;
        this.notifier = notifier;
        this.memberships = memberships;
        this.rooms = rooms;
        this.clock = clock;
        long now = clock.millis();
        for (Presence p : store.notOffline()) {
            // Online before a restart: offline unless a client syncs again soon.
            cache.put(p.userId(), Optional.of(p));
            connection(p.userId()).lastSeen = now;
        }
    }

    /** Checks a presence state named by a client. */
    public static String validState(String state) {
        if (state == null || !STATES.contains(state)) {
            throw MatrixException.invalidParam("presence must be one of online, unavailable, offline");
        }
        return state;
    }

    /** {@code PUT /presence/{userId}/status}. */
    public void set(UserId user, String state, String statusMsg) {
        validState(state);
        if (statusMsg != null && statusMsg.length() > MAX_STATUS_MSG_LENGTH) {
            throw MatrixException.invalidParam("status_msg is too long");
        }
        long now = clock.millis();
        Connection connection = connection(user);
        synchronized (connection) {
            connection.lastSeen = now;
            connection.idle = false;
        }
        Presence old = of(user).orElse(null);
        long lastActive = state.equals(ONLINE) || old == null ? now : old.lastActiveTs();
        write(user, state, statusMsg, lastActive);
    }

    /**
     * A remote user's presence as their server reported it (an {@code m.presence} EDU). Their
     * server keeps it current, so no local timeout applies.
     */
    public void setRemote(UserId user, String state, String statusMsg, long lastActiveAgo) {
        validState(state);
        String message = statusMsg != null && statusMsg.length() > MAX_STATUS_MSG_LENGTH ? null : statusMsg;
        write(user, state, message, clock.millis() - Math.max(0, lastActiveAgo));
    }

    /** {@code GET /presence/{userId}/status}: for the user themself and those who share a room with them. */
    public ObjectNode get(UserId viewer, UserId target) {
        if (!viewer.equals(target) && !neighbours(viewer).contains(target)) {
            throw MatrixException.forbidden("You do not share a room with " + target);
        }
        Presence p = of(target).orElseThrow(() -> MatrixException.notFound("No presence known for " + target));
        return content(p);
    }

    /**
     * A {@code /sync} starts with this {@code set_presence} (null means online). Returns whether
     * it counts as the client being connected, in which case {@link #syncEnded} must follow.
     */
    public boolean syncStarted(UserId user, String setPresence) {
        String state = setPresence == null ? ONLINE : validState(setPresence);
        if (state.equals(OFFLINE)) {
            return false;
        }
        Connection connection = connection(user);
        synchronized (connection) {
            connection.syncing++;
            connection.lastSeen = clock.millis();
        }
        Presence current = of(user).orElse(null);
        String currentState = current == null ? OFFLINE : current.state();
        if (state.equals(ONLINE) && currentState.equals(OFFLINE)) {
            write(user, ONLINE, current == null ? null : current.statusMsg(), clock.millis());
        } else if (state.equals(UNAVAILABLE) && !currentState.equals(UNAVAILABLE)) {
            write(user, UNAVAILABLE, current == null ? null : current.statusMsg(),
                    current == null ? clock.millis() : current.lastActiveTs());
        }
        return true;
    }

    public void syncEnded(UserId user) {
        Connection connection = connection(user);
        synchronized (connection) {
            connection.syncing = Math.max(0, connection.syncing - 1);
            connection.lastSeen = clock.millis();
        }
    }

    /** The user did something (a read receipt, typing): idle unavailable becomes online again. */
    public void active(UserId user) {
        long now = clock.millis();
        Presence current = of(user).orElse(null);
        Connection connection = connections.get(user);
        boolean wasIdle = false;
        if (connection != null) {
            synchronized (connection) {
                wasIdle = connection.idle;
                connection.idle = false;
            }
        }
        if (current != null && wasIdle && current.state().equals(UNAVAILABLE)) {
            write(user, ONLINE, current.statusMsg(), now);
        } else if (current != null && !current.state().equals(OFFLINE)) {
            // Activity without a change of state moves last_active in memory only.
            cache.put(user, Optional.of(new Presence(user, current.state(), current.statusMsg(), now,
                    current.streamId())));
        }
    }

    /** The user's presence, if they ever had one. */
    public Optional<Presence> of(UserId user) {
        return cache.computeIfAbsent(user, store::get);
    }

    /** The users who share a joined room with {@code user}, and the user. */
    public Set<UserId> neighbours(UserId user) {
        Set<UserId> users = new HashSet<>();
        users.add(user);
        for (MembershipRow row : memberships.of(user)) {
            if (row.membership().equals("join")) {
                rooms.get(row.roomId()).map(LiveRoom::joined).ifPresent(users::addAll);
            }
        }
        return users;
    }

    /**
     * The users who came to share a room with {@code user} in room events {@code (since, upTo]}:
     * everyone in a room the user joined since, and whoever joined one of the user's rooms since.
     * Their presence is news to the user even when it did not change.
     */
    public Set<UserId> newNeighbours(UserId user, long since, long upTo) {
        Set<UserId> users = new HashSet<>();
        if (since >= upTo) {
            return users;
        }
        for (MembershipRow row : memberships.of(user)) {
            LiveRoom room = row.membership().equals("join") ? rooms.get(row.roomId()).orElse(null) : null;
            if (room == null || room.lastStream() <= since) {
                continue;
            }
            Optional<List<StoredEvent>> recent = room.eventsAfter(since);
            if (row.stream() > since || recent.isEmpty()) {
                users.addAll(room.joined());
                continue;
            }
            for (StoredEvent event : recent.get()) {
                if (event.stream() <= upTo && event.pdu().type().equals("m.room.member")
                        && "join".equals(event.pdu().membership())) {
                    users.add(UserId.of(event.pdu().stateKey()));
                }
            }
        }
        return users;
    }

    /** The content of an m.presence event, as the presence endpoint also answers. */
    public ObjectNode content(Presence p) {
        long now = clock.millis();
        ObjectNode content = Json.object();
        content.put("presence", p.state());
        content.put("last_active_ago", Math.max(0, now - p.lastActiveTs()));
        if (p.statusMsg() != null) {
            content.put("status_msg", p.statusMsg());
        }
        Connection connection = connections.get(p.userId());
        boolean syncing = connection != null && connection.syncing > 0;
        content.put("currently_active", p.state().equals(ONLINE)
                && (syncing || now - p.lastActiveTs() < CURRENTLY_ACTIVE_MS));
        return content;
    }

    /** Applies the idle and offline timeouts. */
    public void expire() {
        long now = clock.millis();
        for (Map.Entry<UserId, Connection> entry : connections.entrySet()) {
            UserId user = entry.getKey();
            Connection connection = entry.getValue();
            Presence p = of(user).orElse(null);
            boolean offline;
            boolean idle;
            synchronized (connection) {
                offline = connection.syncing == 0 && now - connection.lastSeen >= OFFLINE_AFTER_MS;
                idle = !offline && p != null && p.state().equals(ONLINE) && now - p.lastActiveTs() >= IDLE_AFTER_MS;
                if (idle) {
                    connection.idle = true;
                }
            }
            if (offline) {
                connections.remove(user, connection);
                if (p != null && !p.state().equals(OFFLINE)) {
                    write(user, OFFLINE, p.statusMsg(), p.lastActiveTs());
                }
            } else if (idle) {
                write(user, UNAVAILABLE, p.statusMsg(), p.lastActiveTs());
            }
        }
    }

    private Connection connection(UserId user) {
        return connections.computeIfAbsent(user, u -> new Connection());
    }

    private void write(UserId user, String state, String statusMsg, long lastActive) {
        Presence changed;
        writeLock.lock();
        try {
            Presence old = of(user).orElse(null);
            if (old != null && old.state().equals(state) && Objects.equals(old.statusMsg(), statusMsg)) {
                cache.put(user, Optional.of(new Presence(user, state, statusMsg, lastActive, old.streamId())));
                return;
            }
            Presence p = streams.presence().write(position -> {
                Presence updated = new Presence(user, state, statusMsg, lastActive, position);
                store.put(updated);
                return updated;
            });
            cache.put(user, Optional.of(p));
            changed = p;
        } finally {
            writeLock.unlock();
        }
        Set<UserId> neighbours = neighbours(user);
        notifier.notify(neighbours);
        listener.presence(changed, neighbours);
    }
}
