package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.UserId;
import dev.myelin.federation.json.CanonicalJson;
import io.helidon.dbclient.DbRow;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** {@link DeviceStore} on the {@code devices} and {@code access_tokens} tables. */
public final class JdbcDeviceStore implements DeviceStore {
    private static final String UPSERT = "INSERT INTO devices (user_id, device_id, display_name, last_seen_ts, last_seen_ip) "
            + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, device_id) DO UPDATE SET "
            + "display_name = COALESCE(excluded.display_name, devices.display_name), "
            + "last_seen_ts = excluded.last_seen_ts, last_seen_ip = excluded.last_seen_ip";
    private static final String COLUMNS = "SELECT user_id, device_id, display_name, last_seen_ts, last_seen_ip FROM devices ";
    private static final String LIST = COLUMNS + "WHERE user_id = ?";
    private static final String GET = COLUMNS + "WHERE user_id = ? AND device_id = ?";
    private static final String RENAME = "UPDATE devices SET display_name = ? WHERE user_id = ? AND device_id = ?";
    private static final String TOKENS_OF_DEVICE = "SELECT token_hash FROM access_tokens WHERE user_id = ? AND device_id = ?";
    private static final String TOKENS_OF_USER = "SELECT token_hash FROM access_tokens WHERE user_id = ?";
    private static final String DELETE_DEVICE = "DELETE FROM devices WHERE user_id = ? AND device_id = ?";
    private static final String DELETE_DEVICE_TOKENS = "DELETE FROM access_tokens WHERE user_id = ? AND device_id = ?";
    private static final String DELETE_USER_DEVICES = "DELETE FROM devices WHERE user_id = ?";
    private static final String DELETE_USER_TOKENS = "DELETE FROM access_tokens WHERE user_id = ?";
    private static final String ADD_TOKEN = "INSERT INTO access_tokens (token_hash, user_id, device_id, created_ts) VALUES (?, ?, ?, ?)";
    private static final String TOKEN_OWNER = "SELECT user_id, device_id FROM access_tokens WHERE token_hash = ?";

    private final Database db;

    public JdbcDeviceStore(Database db) {
        this.db = db;
    }

    @Override
    public void upsertDevice(UserId userId, String deviceId, String displayName, long lastSeenTs, String lastSeenIp) {
        db.execute().insert(UPSERT, userId.value(), deviceId, displayName, lastSeenTs, lastSeenIp);
    }

    /** Ordered by device ID in code point order, which SQL cannot promise: PostgreSQL sorts by its collation. */
    @Override
    public List<Device> devices(UserId userId) {
        return db.execute().query(LIST, userId.value()).map(JdbcDeviceStore::device)
                .sorted(Comparator.comparing(Device::deviceId, CanonicalJson.CODE_POINT_ORDER)).toList();
    }

    @Override
    public Optional<Device> device(UserId userId, String deviceId) {
        return db.execute().get(GET, userId.value(), deviceId).map(JdbcDeviceStore::device);
    }

    @Override
    public boolean setDisplayName(UserId userId, String deviceId, String displayName) {
        return db.execute().update(RENAME, displayName, userId.value(), deviceId) > 0;
    }

    @Override
    public List<String> deleteDevice(UserId userId, String deviceId) {
        return db.inTransaction("delete_device", tx -> {
            List<String> hashes = tx.query(TOKENS_OF_DEVICE, userId.value(), deviceId)
                    .map(row -> Rows.string(row, "token_hash")).toList();
            tx.delete(DELETE_DEVICE_TOKENS, userId.value(), deviceId);
            tx.delete(DELETE_DEVICE, userId.value(), deviceId);
            return hashes;
        });
    }

    @Override
    public void addAccessToken(String tokenHash, UserId userId, String deviceId, long createdTs) {
        db.execute().insert(ADD_TOKEN, tokenHash, userId.value(), deviceId, createdTs);
    }

    @Override
    public Optional<TokenOwner> accessTokenOwner(String tokenHash) {
        return db.execute().get(TOKEN_OWNER, tokenHash)
                .map(row -> new TokenOwner(UserId.of(Rows.string(row, "user_id")), Rows.string(row, "device_id")));
    }

    @Override
    public List<String> deleteAllDevices(UserId userId) {
        return db.inTransaction("delete_all_devices", tx -> {
            List<String> hashes = tx.query(TOKENS_OF_USER, userId.value())
                    .map(row -> Rows.string(row, "token_hash")).toList();
            tx.delete(DELETE_USER_TOKENS, userId.value());
            tx.delete(DELETE_USER_DEVICES, userId.value());
            return hashes;
        });
    }

    private static Device device(DbRow row) {
        return new Device(UserId.of(Rows.string(row, "user_id")), Rows.string(row, "device_id"),
                Rows.string(row, "display_name"), Rows.nullableLong(row, "last_seen_ts"),
                Rows.string(row, "last_seen_ip"));
    }
}
