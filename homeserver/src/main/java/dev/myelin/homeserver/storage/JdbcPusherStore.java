package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.UserId;
import dev.myelin.federation.json.CanonicalJson;
import io.helidon.dbclient.DbRow;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** {@link PusherStore} on the {@code pushers} table. */
public final class JdbcPusherStore implements PusherStore {
    private static final String COLUMNS = "SELECT user_id, app_id, pushkey, kind, app_display_name, "
            + "device_display_name, profile_tag, lang, data, device_id, pushkey_ts FROM pushers ";
    private static final String OTHER_USERS = "SELECT user_id FROM pushers WHERE app_id = ? AND pushkey = ? AND user_id <> ?";
    private static final String DELETE_OTHER_USERS = "DELETE FROM pushers WHERE app_id = ? AND pushkey = ? AND user_id <> ?";
    private static final String UPSERT = "INSERT INTO pushers (user_id, app_id, pushkey, kind, app_display_name, "
            + "device_display_name, profile_tag, lang, data, device_id, pushkey_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (user_id, app_id, pushkey) DO UPDATE SET kind = excluded.kind, "
            + "app_display_name = excluded.app_display_name, device_display_name = excluded.device_display_name, "
            + "profile_tag = excluded.profile_tag, lang = excluded.lang, data = excluded.data, "
            + "device_id = excluded.device_id, pushkey_ts = excluded.pushkey_ts";
    private static final String DELETE = "DELETE FROM pushers WHERE user_id = ? AND app_id = ? AND pushkey = ?";
    private static final String DELETE_FOR_DEVICE = "DELETE FROM pushers WHERE user_id = ? AND device_id = ?";
    private static final String DELETE_ALL = "DELETE FROM pushers WHERE user_id = ?";
    private static final String OF_USER = COLUMNS + "WHERE user_id = ?";
    private static final Comparator<Pusher> ORDER = Comparator.comparing(Pusher::appId, CanonicalJson.CODE_POINT_ORDER)
            .thenComparing(Pusher::pushkey, CanonicalJson.CODE_POINT_ORDER);

    private final Database db;

    public JdbcPusherStore(Database db) {
        this.db = db;
    }

    @Override
    public List<UserId> set(Pusher p, boolean append) {
        return db.inTransaction("set_pusher", tx -> {
            List<UserId> displaced = List.of();
            if (!append) {
                displaced = tx.query(OTHER_USERS, p.appId(), p.pushkey(), p.userId().value())
                        .map(row -> UserId.of(Rows.string(row, "user_id"))).toList();
                if (!displaced.isEmpty()) {
                    tx.delete(DELETE_OTHER_USERS, p.appId(), p.pushkey(), p.userId().value());
                }
            }
            tx.insert(UPSERT, p.userId().value(), p.appId(), p.pushkey(), p.kind(), p.appDisplayName(),
                    p.deviceDisplayName(), p.profileTag(), p.lang(), p.data(), p.deviceId(), p.pushkeyTs());
            return displaced;
        });
    }

    @Override
    public boolean delete(UserId userId, String appId, String pushkey) {
        return db.execute().delete(DELETE, userId.value(), appId, pushkey) > 0;
    }

    @Override
    public void deleteForDevice(UserId userId, String deviceId) {
        db.execute().delete(DELETE_FOR_DEVICE, userId.value(), deviceId);
    }

    @Override
    public void deleteAll(UserId userId) {
        db.execute().delete(DELETE_ALL, userId.value());
    }

    /** Ordered in code point order, which SQL cannot promise: PostgreSQL sorts by its collation. */
    @Override
    public List<Pusher> pushers(UserId userId) {
        return sorted(db.execute().query(OF_USER, userId.value()));
    }

    @Override
    public List<Pusher> all() {
        return sorted(db.execute().query(COLUMNS));
    }

    private static List<Pusher> sorted(Stream<DbRow> rows) {
        return rows.map(JdbcPusherStore::pusher).sorted(ORDER).toList();
    }

    private static Pusher pusher(DbRow row) {
        return new Pusher(UserId.of(Rows.string(row, "user_id")), Rows.string(row, "app_id"),
                Rows.string(row, "pushkey"), Rows.string(row, "kind"), Rows.string(row, "app_display_name"),
                Rows.string(row, "device_display_name"), Rows.string(row, "profile_tag"), Rows.string(row, "lang"),
                Rows.string(row, "data"), Rows.string(row, "device_id"), Rows.longValue(row, "pushkey_ts"));
    }
}
