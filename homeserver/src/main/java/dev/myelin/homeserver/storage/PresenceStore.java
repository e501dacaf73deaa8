package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.UserId;
import java.util.List;
import java.util.Optional;

/** Each user's last presence state, kept across restarts, ordered on the presence stream. */
public interface PresenceStore {
    /**
     * A user's presence.
     *
     * @param state        {@code online}, {@code unavailable} or {@code offline}
     * @param statusMsg    the status message, or null
     * @param lastActiveTs when the user was last active, in milliseconds since the epoch
     * @param streamId     the position on the presence stream of the last change
     */
    record Presence(UserId userId, String state, String statusMsg, long lastActiveTs, long streamId) {
    }

    /** Sets the user's presence, replacing the earlier one. */
    void put(Presence presence);

    Optional<Presence> get(UserId userId);

    /** Everyone whose state is not {@code offline}. */
    List<Presence> notOffline();

    /** The highest stream position used, for resuming the stream at start-up. */
    long maxStreamId();
}
