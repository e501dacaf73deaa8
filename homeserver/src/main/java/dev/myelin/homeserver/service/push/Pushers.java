package dev.myelin.homeserver.service.push;

import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.storage.PerDeviceData;
import dev.myelin.homeserver.storage.PusherStore;
import dev.myelin.homeserver.storage.PusherStore.Pusher;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Every user's pushers, stored and held in memory, so that handing a notification to a user's
 * pushers costs no database query. Changes are rare; they are written to the store and the
 * affected users' lists reloaded from it, one change at a time.
 */
public final class Pushers implements PerDeviceData {
    private final PusherStore store;
    private final Map<UserId, List<Pusher>> byUser = new ConcurrentHashMap<>();

    public Pushers(PusherStore store) {
        this.store = store;
        store.all().stream()
                .collect(Collectors.groupingBy(Pusher::userId, Collectors.toUnmodifiableList()))
                .forEach(byUser::put);
    }

    /** The user's pushers, ordered by app ID, then pushkey. */
    public List<Pusher> of(UserId userId) {
        return byUser.getOrDefault(userId, List.of());
    }

    /** The user's pusher with this app ID and pushkey, if it still exists. */
    public Optional<Pusher> find(UserId userId, String appId, String pushkey) {
        return of(userId).stream()
                .filter(p -> p.appId().equals(appId) && p.pushkey().equals(pushkey))
                .findFirst();
    }

    /**
     * Creates or replaces the pusher; unless {@code append}, removes other users' pushers with
     * the same app ID and pushkey.
     */
    public synchronized void set(Pusher pusher, boolean append) {
        List<UserId> displaced = store.set(pusher, append);
        reload(pusher.userId());
        displaced.forEach(this::reload);
    }

    /** Removes the user's pusher with this app ID and pushkey; removing none is no error. */
    public synchronized void delete(UserId userId, String appId, String pushkey) {
        store.delete(userId, appId, pushkey);
        reload(userId);
    }

    /** Removes the pushers that a device set, when the device is deleted. */
    @Override
    public synchronized void deleteForDevice(UserId userId, String deviceId) {
        store.deleteForDevice(userId, deviceId);
        reload(userId);
    }

    /** Removes every pusher of the user, when all their devices are deleted. */
    @Override
    public synchronized void deleteAll(UserId userId) {
        store.deleteAll(userId);
        reload(userId);
    }

    private void reload(UserId userId) {
        List<Pusher> pushers = store.pushers(userId);
        if (pushers.isEmpty()) {
            byUser.remove(userId);
        } else {
            byUser.put(userId, pushers);
        }
    }
}
