package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import java.util.List;
import java.util.Optional;

/** {@link AccountDataStore} on the {@code account_data} table; global data has room_id ''. */
public final class JdbcAccountDataStore implements AccountDataStore {
    private static final String GLOBAL = "";
    private static final String PUT = "INSERT INTO account_data (user_id, room_id, type, content, stream_id) VALUES (?, ?, ?, ?, ?) "
            + "ON CONFLICT (user_id, room_id, type) DO UPDATE SET content = excluded.content, stream_id = excluded.stream_id";
    private static final String GET = "SELECT content FROM account_data WHERE user_id = ? AND room_id = ? AND type = ?";
    private static final String CHANGED = "SELECT room_id, type, content, stream_id FROM account_data "
            + "WHERE user_id = ? AND stream_id > ? ORDER BY stream_id";
    private static final String MAX = "SELECT COALESCE(MAX(stream_id), 0) AS max_id FROM account_data";

    private final Database db;

    public JdbcAccountDataStore(Database db) {
        this.db = db;
    }

    @Override
    public void put(UserId userId, RoomId roomId, String type, String content, long streamId) {
        db.execute().insert(PUT, userId.value(), key(roomId), type, content, streamId);
    }

    @Override
    public Optional<String> get(UserId userId, RoomId roomId, String type) {
        return db.execute().get(GET, userId.value(), key(roomId), type).map(row -> Rows.string(row, "content"));
    }

    @Override
    public List<AccountData> changedSince(UserId userId, long sinceStreamId) {
        return db.execute().query(CHANGED, userId.value(), sinceStreamId).map(row -> {
            String room = Rows.string(row, "room_id");
            return new AccountData(room.isEmpty() ? null : RoomId.of(room), Rows.string(row, "type"),
                    Rows.string(row, "content"), Rows.longValue(row, "stream_id"));
        }).toList();
    }

    @Override
    public long maxStreamId() {
        return db.execute().get(MAX).map(row -> Rows.longValue(row, "max_id")).orElse(0L);
    }

    private static String key(RoomId roomId) {
        return roomId == null ? GLOBAL : roomId.value();
    }
}
