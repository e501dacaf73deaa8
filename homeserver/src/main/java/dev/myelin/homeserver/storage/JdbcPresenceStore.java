package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.UserId;
import io.helidon.dbclient.DbRow;
import java.util.List;
import java.util.Optional;

/** {@link PresenceStore} on the {@code presence} table. */
public final class JdbcPresenceStore implements PresenceStore {
    private static final String PUT = "INSERT INTO presence (user_id, state, status_msg, last_active_ts, stream_id) "
            + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET state = excluded.state, "
            + "status_msg = excluded.status_msg, last_active_ts = excluded.last_active_ts, stream_id = excluded.stream_id";
    private static final String COLUMNS = "SELECT user_id, state, status_msg, last_active_ts, stream_id FROM presence";
    private static final String GET = COLUMNS + " WHERE user_id = ?";
    private static final String NOT_OFFLINE = COLUMNS + " WHERE state <> 'offline' ORDER BY stream_id";
    private static final String MAX = "SELECT COALESCE(MAX(stream_id), 0) AS max_id FROM presence";

    private final Database db;

    public JdbcPresenceStore(Database db) {
        this.db = db;
    }

    @Override
    public void put(Presence p) {
        db.execute().insert(PUT, p.userId().value(), p.state(), p.statusMsg(), p.lastActiveTs(), p.streamId());
    }

    @Override
    public Optional<Presence> get(UserId userId) {
        return db.execute().get(GET, userId.value()).map(JdbcPresenceStore::presence);
    }

    @Override
    public List<Presence> notOffline() {
        return db.execute().query(NOT_OFFLINE).map(JdbcPresenceStore::presence).toList();
    }

    @Override
    public long maxStreamId() {
        return db.execute().get(MAX).map(row -> Rows.longValue(row, "max_id")).orElse(0L);
    }

    private static Presence presence(DbRow row) {
        return new Presence(UserId.of(Rows.string(row, "user_id")), Rows.string(row, "state"),
                Rows.string(row, "status_msg"), Rows.longValue(row, "last_active_ts"), Rows.longValue(row, "stream_id"));
    }
}
