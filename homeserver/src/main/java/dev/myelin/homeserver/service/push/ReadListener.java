package dev.myelin.homeserver.service.push;

import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.storage.StoredEvent;

/**
 * Told when a user's read receipt ({@code m.read} or {@code m.read.private}) moves forward, so that
 * notification counts restart after the event read.
 */
public interface ReadListener {
    /** Listens to nothing. */
    ReadListener NONE = (user, room, threadId, upTo) -> {
    };

    /**
     * @param threadId the receipt's thread: null for an unthreaded receipt, {@code "main"} for
     *                 the main timeline, or a thread root's event ID
     * @param upTo     the event the receipt points at
     */
    void read(UserId user, RoomId room, String threadId, StoredEvent upTo);
}
