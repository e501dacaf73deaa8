package dev.myelin.homeserver.service.ephemeral;

import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.service.room.LiveRoom;
import dev.myelin.homeserver.storage.PresenceStore.Presence;
import dev.myelin.homeserver.storage.ReceiptStore.Receipt;
import java.util.Set;

/**
 * Told of every typing notice, public receipt and presence change, local or remote: the
 * federation sender passes this server's own users' ones on to the other servers concerned.
 */
public interface EphemeralListener {
    EphemeralListener NONE = new EphemeralListener() {
    };

    /** A user started (or renewed) or stopped typing in a room. */
    default void typing(LiveRoom room, UserId user, boolean typing) {
    }

    /** A public receipt moved forward. */
    default void receipt(LiveRoom room, Receipt receipt) {
    }

    /** A user's presence changed; {@code neighbours} share a room with them. */
    default void presence(Presence presence, Set<UserId> neighbours) {
    }
}
