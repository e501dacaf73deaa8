package dev.myelin.homeserver.service.push;

import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.storage.DeviceStore;
import java.util.List;
import java.util.Optional;

/**
 * A {@link DeviceStore} whose device deletions (logout, {@code /logout/all}, deleting devices)
 * also remove the pushers those devices set, as mature servers do: a logged-out phone must stop
 * receiving the account's notifications. Everything else is passed through.
 */
public final class PusherCleanupDeviceStore implements DeviceStore {
    private final DeviceStore devices;
    private final Pushers pushers;

    public PusherCleanupDeviceStore(DeviceStore devices, Pushers pushers) {
        this.devices = devices;
        this.pushers = pushers;
    }

    @Override
    public List<String> deleteDevice(UserId userId, String deviceId) {
        List<String> tokenHashes = devices.deleteDevice(userId, deviceId);
        pushers.deleteForDevice(userId, deviceId);
        return tokenHashes;
    }

    @Override
    public List<String> deleteAllDevices(UserId userId) {
        List<String> tokenHashes = devices.deleteAllDevices(userId);
        pushers.deleteAll(userId);
        return tokenHashes;
    }

    @Override
    public void upsertDevice(UserId userId, String deviceId, String displayName, long lastSeenTs, String lastSeenIp) {
        devices.upsertDevice(userId, deviceId, displayName, lastSeenTs, lastSeenIp);
    }

    @Override
    public List<Device> devices(UserId userId) {
        return devices.devices(userId);
    }

    @Override
    public Optional<Device> device(UserId userId, String deviceId) {
        return devices.device(userId, deviceId);
    }

    @Override
    public boolean setDisplayName(UserId userId, String deviceId, String displayName) {
        return devices.setDisplayName(userId, deviceId, displayName);
    }

    @Override
    public void addAccessToken(String tokenHash, UserId userId, String deviceId, long createdTs) {
        devices.addAccessToken(tokenHash, userId, deviceId, createdTs);
    }

    @Override
    public Optional<TokenOwner> accessTokenOwner(String tokenHash) {
        return devices.accessTokenOwner(tokenHash);
    }
}
