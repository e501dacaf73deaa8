package dev.myelin.homeserver.service.push;

import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.storage.NotificationStore;
import dev.myelin.homeserver.storage.NotificationStore.EventNotification;
import dev.myelin.homeserver.storage.NotificationStore.ReadPosition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every user's unread notifications per room, in memory: the notifying events after their read
 * position, each with its thread and whether it highlights. A room is loaded from the
 * {@link NotificationStore} on first use (its stored notifications after its members' read
 * positions); after that the send path and read receipts keep it current without queries.
 * Sending an event counts as reading up to it.
 */
public final class UnreadCounts {
    /** The thread key of an unthreaded read position, which covers every thread. */
    static final String UNTHREADED = "";
    /** The thread key of the main timeline. */
    static final String MAIN = "main";

    /** Counts for one room: all of them, and per thread key ("main" or a thread root). */
    public record Counts(int notifications, int highlights, Map<String, int[]> byThread) {
        public static final Counts NONE = new Counts(0, 0, Map.of());
    }

    private record Entry(long stream, String thread, boolean highlight) {
    }

    /** One room's unread entries and read positions, per user; guarded by its own monitor. */
    private static final class RoomUnread {
        private final Map<UserId, List<Entry>> unread = new HashMap<>();
        private final Map<UserId, Map<String, Long>> read = new HashMap<>();

        synchronized void add(long stream, String thread, Map<UserId, Boolean> highlights) {
            highlights.forEach((user, highlight) -> {
                if (!covered(user, stream, thread)) {
                    unread.computeIfAbsent(user, u -> new ArrayList<>()).add(new Entry(stream, thread, highlight));
                }
            });
        }

        synchronized void read(UserId user, String threadKey, long upTo) {
            read.computeIfAbsent(user, u -> new HashMap<>()).merge(threadKey, upTo, Math::max);
            List<Entry> entries = unread.get(user);
            if (entries != null) {
                entries.removeIf(e -> covered(user, e.stream(), e.thread()));
            }
        }

        synchronized boolean isRead(UserId user, long stream, String thread) {
            return covered(user, stream, thread);
        }

        synchronized Counts counts(UserId user) {
            List<Entry> entries = unread.get(user);
            if (entries == null || entries.isEmpty()) {
                return Counts.NONE;
            }
            int highlights = 0;
            Map<String, int[]> byThread = new HashMap<>();
            for (Entry e : entries) {
                int[] counts = byThread.computeIfAbsent(e.thread(), t -> new int[2]);
                counts[0]++;
                if (e.highlight()) {
                    counts[1]++;
                    highlights++;
                }
            }
            return new Counts(entries.size(), highlights, byThread);
        }

        private boolean covered(UserId user, long stream, String thread) {
            Map<String, Long> positions = read.get(user);
            return positions != null && (stream <= positions.getOrDefault(UNTHREADED, 0L)
                    || stream <= positions.getOrDefault(thread, 0L));
        }
    }

    private final NotificationStore store;
    private final Map<RoomId, RoomUnread> rooms = new ConcurrentHashMap<>();
    private final AtomicLong readVersion = new AtomicLong();

    public UnreadCounts(NotificationStore store) {
        this.store = store;
    }

    /** The thread key of an event: its thread root, or "main". */
    static String threadKey(String threadId) {
        return threadId == null ? MAIN : threadId;
    }

    /** Records a committed event's notifications (user → highlight) and its sender's implicit read. */
    void add(RoomId room, long stream, String threadId, UserId sender, Map<UserId, Boolean> highlights) {
        RoomUnread unread = room(room);
        unread.read(sender, threadKey(threadId), stream);
        unread.add(stream, threadKey(threadId), highlights);
    }

    /** Moves a user's read position: {@code threadId} null for an unthreaded receipt. */
    void read(UserId user, RoomId room, String threadId, long upTo) {
        room(room).read(user, threadId == null ? UNTHREADED : threadId, upTo);
        readVersion.incrementAndGet();
    }

    /** Advances on every read receipt. */
    long readVersion() {
        return readVersion.get();
    }

    public Counts counts(UserId user, RoomId room) {
        return room(room).counts(user);
    }

    /** Whether the user has read a notification at this position of a room's thread (null: main). */
    public boolean isRead(UserId user, RoomId room, long stream, String threadId) {
        return room(room).isRead(user, stream, threadKey(threadId));
    }

    /** The user's notifying unread events over these rooms. */
    long total(UserId user, Iterable<RoomId> rooms) {
        long total = 0;
        for (RoomId room : rooms) {
            RoomUnread unread = this.rooms.get(room);
            if (unread != null) {
                total += unread.counts(user).notifications();
            }
        }
        return total;
    }

    private RoomUnread room(RoomId room) {
        RoomUnread unread = rooms.get(room);
        return unread != null ? unread : rooms.computeIfAbsent(room, this::load);
    }

    private RoomUnread load(RoomId room) {
        RoomUnread unread = new RoomUnread();
        List<ReadPosition> positions = store.readPositions(room);
        positions.forEach(p -> unread.read(p.user(), p.threadId(), p.stream()));
        for (EventNotification n : store.inRoomAfter(room, 0)) {
            Map<UserId, Boolean> highlights = new HashMap<>();
            List<Boolean> highlightOf = new ArrayList<>();
            n.actions().forEach(a -> highlightOf.add(NotificationActions.highlights(a)));
            n.users().forEach((user, index) -> highlights.put(user, highlightOf.get(index)));
            unread.read(n.sender(), threadKey(n.threadId()), n.stream());
            unread.add(n.stream(), threadKey(n.threadId()), highlights);
        }
        return unread;
    }
}
