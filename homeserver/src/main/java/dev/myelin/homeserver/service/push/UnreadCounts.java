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
import java.util.function.Predicate;

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

    /**
     * One user's unread entries in one room, with their totals kept as entries come and go, so
     * that reading the counts (every sync, every push) costs nothing however many are unread.
     */
    private static final class UserUnread {
        private final List<Entry> entries = new ArrayList<>();
        private final Map<String, int[]> byThread = new HashMap<>();
        private int highlights;

        void add(Entry entry) {
            entries.add(entry);
            count(entry, 1);
        }

        void removeIf(Predicate<Entry> read) {
            entries.removeIf(entry -> {
                if (read.test(entry)) {
                    count(entry, -1);
                    return true;
                }
                return false;
            });
        }

        private void count(Entry entry, int delta) {
            int[] thread = byThread.computeIfAbsent(entry.thread(), t -> new int[2]);
            thread[0] += delta;
            if (entry.highlight()) {
                thread[1] += delta;
                highlights += delta;
            }
            if (thread[0] == 0) {
                byThread.remove(entry.thread());
            }
        }

        Counts counts() {
            if (entries.isEmpty()) {
                return Counts.NONE;
            }
            Map<String, int[]> copy = new HashMap<>();
            byThread.forEach((thread, counts) -> copy.put(thread, counts.clone()));
            return new Counts(entries.size(), highlights, copy);
        }
    }

    /** One room's unread entries and read positions, per user; guarded by its own monitor. */
    private static final class RoomUnread {
        private final Map<UserId, UserUnread> unread = new HashMap<>();
        private final Map<UserId, Map<String, Long>> read = new HashMap<>();

        synchronized void add(long stream, String thread, Map<UserId, Boolean> highlights) {
            highlights.forEach((user, highlight) -> {
                if (!covered(user, stream, thread)) {
                    unread.computeIfAbsent(user, u -> new UserUnread()).add(new Entry(stream, thread, highlight));
                }
            });
        }

        synchronized void read(UserId user, String threadKey, long upTo) {
            read.computeIfAbsent(user, u -> new HashMap<>()).merge(threadKey, upTo, Math::max);
            UserUnread entries = unread.get(user);
            if (entries != null) {
                entries.removeIf(e -> covered(user, e.stream(), e.thread()));
            }
        }

        synchronized boolean isRead(UserId user, long stream, String thread) {
            return covered(user, stream, thread);
        }

        synchronized Counts counts(UserId user) {
            UserUnread entries = unread.get(user);
            return entries == null ? Counts.NONE : entries.counts();
        }

        /** The number of unread notifications alone, without copying the per-thread counts. */
        synchronized int notifications(UserId user) {
            UserUnread entries = unread.get(user);
            return entries == null ? 0 : entries.entries.size();
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
                total += unread.notifications(user);
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
