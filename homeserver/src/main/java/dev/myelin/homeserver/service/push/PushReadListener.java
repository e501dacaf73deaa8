package dev.myelin.homeserver.service.push;

import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.storage.NotificationStore;
import dev.myelin.homeserver.storage.StoredEvent;

/**
 * Restarts a user's notification counts after the event their read receipt points at: stores the
 * read position (so counts survive a restart) and drops the notifications it covers.
 */
public final class PushReadListener implements ReadListener {
    private final NotificationStore store;
    private final UnreadCounts counts;

    public PushReadListener(NotificationStore store, UnreadCounts counts) {
        this.store = store;
        this.counts = counts;
    }

    @Override
    public void read(UserId user, RoomId room, String threadId, StoredEvent upTo) {
        store.read(user, room, threadId == null ? UnreadCounts.UNTHREADED : threadId, upTo.stream());
        counts.read(user, room, threadId, upTo.stream());
    }
}
