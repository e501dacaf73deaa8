package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.UserId;
import java.util.List;
import java.util.Optional;

/** Devices and the access tokens issued to them (kept only as SHA-256 hashes). */
public interface DeviceStore {
    record Device(UserId userId, String deviceId, String displayName, Long lastSeenTs, String lastSeenIp) {
    }

    record TokenOwner(UserId userId, String deviceId) {
    }

    /** Creates the device or, when it exists, refreshes its last-seen data and (if given) its name. */
    void upsertDevice(UserId userId, String deviceId, String displayName, long lastSeenTs, String lastSeenIp);

    List<Device> devices(UserId userId);

    Optional<Device> device(UserId userId, String deviceId);

    /** Renames a device; false when it does not exist. */
    boolean setDisplayName(UserId userId, String deviceId, String displayName);

    /** Deletes a device and its access tokens, returning the deleted token hashes. */
    List<String> deleteDevice(UserId userId, String deviceId);

    void addAccessToken(String tokenHash, UserId userId, String deviceId, long createdTs);

    Optional<TokenOwner> accessTokenOwner(String tokenHash);

    /** Deletes every device of the user and their tokens, returning the deleted token hashes. */
    List<String> deleteAllDevices(UserId userId);
}
