package dev.myelin.homeserver.service.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import java.util.Map;

/**
 * The unread counts of a joined room's sync section: {@code unread_notifications}, and with
 * {@code unread_thread_notifications} in the filter, the main timeline's counts there and each
 * thread's under {@code unread_thread_notifications}.
 */
public final class UnreadNotifications {
    private final UnreadCounts counts;

    public UnreadNotifications(UnreadCounts counts) {
        this.counts = counts;
    }

    public void addTo(ObjectNode section, UserId user, RoomId room, boolean byThread) {
        UnreadCounts.Counts unread = counts.counts(user, room);
        if (!byThread) {
            put(section.putObject("unread_notifications"), unread.notifications(), unread.highlights());
            return;
        }
        int[] main = unread.byThread().getOrDefault(UnreadCounts.MAIN, new int[2]);
        put(section.putObject("unread_notifications"), main[0], main[1]);
        ObjectNode threads = section.putObject("unread_thread_notifications");
        for (Map.Entry<String, int[]> thread : unread.byThread().entrySet()) {
            if (!thread.getKey().equals(UnreadCounts.MAIN)) {
                put(threads.putObject(thread.getKey()), thread.getValue()[0], thread.getValue()[1]);
            }
        }
    }

    /** Changes whenever counts drop without a new event (a read receipt), for response caches. */
    public long version() {
        return counts.readVersion();
    }

    private static void put(ObjectNode node, int notifications, int highlights) {
        node.put("highlight_count", highlights);
        node.put("notification_count", notifications);
    }
}
