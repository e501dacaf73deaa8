package dev.myelin.homeserver.service.room;

import dev.myelin.federation.event.Pdu;
import dev.myelin.homeserver.storage.StoredEvent;
import java.util.function.Consumer;

/**
 * Work that rides on every local event: decided under the room's lock once the event is
 * authorized, and applied inside the write, right after the event is persisted and before its
 * position is published (push-rule evaluation and unread counts are the one user now).
 */
public interface CommitHook {
    /** Does nothing. */
    CommitHook NONE = (room, pdu) -> stored -> {
    };

    /** Decides what to do for the event; the returned action must not throw. */
    Consumer<StoredEvent> prepare(LiveRoom room, Pdu pdu);
}
