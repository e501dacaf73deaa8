package dev.myelin.homeserver.service.ephemeral;

import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;

/**
 * What a user's own message means for their ephemeral state: they have stopped typing in that
 * room, and they are active (an idle {@code unavailable} becomes {@code online} again).
 */
public final class UserActivity {
    private final TypingService typing;
    private final PresenceService presence;

    public UserActivity(TypingService typing, PresenceService presence) {
        this.typing = typing;
        this.presence = presence;
    }

    public void sentMessage(UserId user, RoomId roomId) {
        typing.stopped(user, roomId);
        presence.active(user);
    }
}
