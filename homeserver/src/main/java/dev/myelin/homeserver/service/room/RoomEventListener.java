package dev.myelin.homeserver.service.room;

import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.storage.StoredEvent;
import java.util.Set;

/**
 * Told of every event this server writes, once it is published: the federation sender, which
 * queues it for the other servers in the room.
 */
@FunctionalInterface
public interface RoomEventListener {
    RoomEventListener NONE = (room, joinedBefore, event) -> {
    };

    /** {@code joinedBefore}: the members joined before the event (a leave's own server still hears of it). */
    void published(LiveRoom room, Set<UserId> joinedBefore, StoredEvent event);
}
