package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.UserId;

/** Something kept per device that goes when the device is deleted (pushers, waiting to-device messages). */
public interface PerDeviceData {
    void deleteForDevice(UserId userId, String deviceId);

    void deleteAll(UserId userId);
}
