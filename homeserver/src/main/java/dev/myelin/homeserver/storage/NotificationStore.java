package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The outcome of push rules for events, one record per event that notified someone, and how far
 * each user has read each room: what unread counts and {@code /notifications} are built from.
 */
public interface NotificationStore {
    /**
     * An event that notified users.
     *
     * @param threadId the thread root's event ID for an event in a thread, else null
     * @param actions  the distinct action lists (JSON arrays) the users' rules produced
     * @param users    each notified user, with the index of their actions in {@code actions}
     */
    record EventNotification(long stream, RoomId roomId, EventId eventId, UserId sender, String threadId, long ts,
                             List<String> actions, Map<UserId, Integer> users) {
    }

    /** A read position: {@code threadId} "" for an unthreaded receipt, "main", or a thread root. */
    record ReadPosition(UserId user, String threadId, long stream) {
    }

    /** Stores notifications, in one transaction. */
    void add(List<EventNotification> notifications);

    /** A room's notifications after a stream position, oldest first. */
    List<EventNotification> inRoomAfter(RoomId room, long after);

    /** The latest notifications in these rooms before a stream position, newest first. */
    List<EventNotification> latestBefore(Collection<RoomId> rooms, long before, int limit);

    /** Moves a user's read position forward (never back). */
    void read(UserId user, RoomId room, String threadId, long stream);

    /** Every member's read positions in a room. */
    List<ReadPosition> readPositions(RoomId room);
}
