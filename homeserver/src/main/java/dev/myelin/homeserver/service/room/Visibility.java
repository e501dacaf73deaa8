package dev.myelin.homeserver.service.room;

import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.storage.RoomStateStore;
import dev.myelin.homeserver.storage.RoomStateStore.MembershipRow;
import java.util.Optional;

/**
 * Which of a room's events a user may read: all of them while joined (history visibility
 * "shared"), and those up to their departure once they have left or been banned.
 */
public final class Visibility {
    private final RoomStateStore roomStore;

    public Visibility(RoomStateStore roomStore) {
        this.roomStore = roomStore;
    }

    /** The last stream position the user may read in the room; throws 403 if none. */
    public long readableUpTo(UserId user, RoomId roomId) {
        Optional<MembershipRow> membership = roomStore.membership(roomId, user);
        if (membership.isEmpty()) {
            throw MatrixException.forbidden("You are not a member of this room");
        }
        return switch (membership.get().membership()) {
            case "join" -> Long.MAX_VALUE;
            case "leave", "ban" -> membership.get().stream();
            default -> throw MatrixException.forbidden("You are not a member of this room");
        };
    }
}
