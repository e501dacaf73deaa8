package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.UserId;
import java.util.ArrayList;
import java.util.List;

/** {@link DeviceInbox} on the {@code device_inbox} table. */
public final class JdbcDeviceInbox implements DeviceInbox {
    private static final String PENDING = "SELECT stream_id, message FROM device_inbox WHERE user_id = ? AND device_id = ? "
            + "AND stream_id > ? AND stream_id <= ? ORDER BY stream_id LIMIT ?";
    private static final String ACKNOWLEDGE = "DELETE FROM device_inbox WHERE user_id = ? AND device_id = ? AND stream_id <= ?";
    private static final String MAX = "SELECT COALESCE(MAX(stream_id), 0) AS m FROM device_inbox";

    private final Database db;

    public JdbcDeviceInbox(Database db) {
        this.db = db;
    }

    @Override
    public void add(List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>(messages.size());
        for (Message m : messages) {
            rows.add(new Object[] {m.streamId(), m.userId().value(), m.deviceId(), m.json()});
        }
        db.inTransaction("device_inbox_add", tx -> {
            MultiRowInsert.insert(tx, "INSERT INTO device_inbox (stream_id, user_id, device_id, message)", "", rows);
        });
    }

    @Override
    public List<Message> pending(UserId userId, String deviceId, long after, long upTo, int limit) {
        return db.execute().query(PENDING, userId.value(), deviceId, after, upTo, limit)
                .map(row -> new Message(Rows.longValue(row, "stream_id"), userId, deviceId, Rows.string(row, "message")))
                .toList();
    }

    @Override
    public void acknowledge(UserId userId, String deviceId, long upTo) {
        db.execute().delete(ACKNOWLEDGE, userId.value(), deviceId, upTo);
    }

    @Override
    public void deleteForDevice(UserId userId, String deviceId) {
        db.execute().delete("DELETE FROM device_inbox WHERE user_id = ? AND device_id = ?", userId.value(), deviceId);
    }

    @Override
    public void deleteAll(UserId userId) {
        db.execute().delete("DELETE FROM device_inbox WHERE user_id = ?", userId.value());
    }

    @Override
    public long maxStreamId() {
        return db.execute().get(MAX).map(row -> Rows.longValue(row, "m")).orElse(0L);
    }
}
