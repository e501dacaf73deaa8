package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.UserId;
import java.util.List;

/**
 * Users' pushers ({@code POST /pushers/set}): one per user, {@code app_id} and {@code pushkey}.
 */
public interface PusherStore {
    /**
     * One pusher as stored.
     *
     * @param data      the pusher's {@code data} object as JSON text, {@code url} included
     * @param deviceId  the device whose access token set the pusher, or null
     * @param pushkeyTs when the pusher was last set, in milliseconds since the epoch
     */
    record Pusher(UserId userId, String appId, String pushkey, String kind, String appDisplayName,
                  String deviceDisplayName, String profileTag, String lang, String data, String deviceId,
                  long pushkeyTs) {
    }

    /**
     * Creates the pusher or replaces the user's pusher with the same {@code app_id} and
     * {@code pushkey}. Unless {@code append}, first removes other users' pushers with that
     * {@code app_id} and {@code pushkey}, and returns those users.
     */
    List<UserId> set(Pusher pusher, boolean append);

    /** Removes one pusher of the user; false when there was none. */
    boolean delete(UserId userId, String appId, String pushkey);

    /** Removes the pushers that the device set. */
    void deleteForDevice(UserId userId, String deviceId);

    /** Removes every pusher of the user. */
    void deleteAll(UserId userId);

    /** The user's pushers, ordered by app ID, then pushkey. */
    List<Pusher> pushers(UserId userId);

    /** Every pusher of every user, for loading them into memory at start-up. */
    List<Pusher> all();
}
