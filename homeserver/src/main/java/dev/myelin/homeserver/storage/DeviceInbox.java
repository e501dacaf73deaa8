package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.UserId;
import java.util.List;

/** Messages waiting for a device (to-device messaging), in stream order. */
public interface DeviceInbox extends PerDeviceData {
    /** One message for one device, at its position on the to-device stream. */
    record Message(long streamId, UserId userId, String deviceId, String json) {
    }

    /** Stores messages in one transaction. */
    void add(List<Message> messages);

    /** The device's messages in {@code (after, upTo]}, oldest first. */
    List<Message> pending(UserId userId, String deviceId, long after, long upTo, int limit);

    /** Drops the device's messages at or below {@code upTo}: its sync acknowledged them. */
    void acknowledge(UserId userId, String deviceId, long upTo);

    long maxStreamId();


}
