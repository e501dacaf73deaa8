package dev.myelin.homeserver.service.account;

import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.storage.DeviceStore;
import dev.myelin.homeserver.storage.PerDeviceData;
import java.util.List;
import java.util.Optional;

/**
 * A {@link DeviceStore} whose device deletions (logout, {@code /logout/all}, deleting devices)
 * also remove what belonged to those devices, as mature servers do: the pushers they set (a
 * logged-out phone must stop receiving the account's notifications) and the to-device messages
 * waiting for them. Everything else is passed through.
 */
public final class CleanupDeviceStore implements DeviceStore {
    private final DeviceStore devices;
    private final List<PerDeviceData> data;

    public CleanupDeviceStore(DeviceStore devices, List<PerDeviceData> data) {
        this.devices = devices;
        this.data = List.copyOf(data);
    }

    @Override
    public List<String> deleteDevice(UserId userId, String deviceId) {
        List<String> tokenHashes = devices.deleteDevice(userId, deviceId);
        data.forEach(d -> d.deleteForDevice(userId, deviceId));
        return tokenHashes;
    }

    @Override
    public List<String> deleteAllDevices(UserId userId) {
        List<String> tokenHashes = devices.deleteAllDevices(userId);
        data.forEach(d -> d.deleteAll(userId));
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
