package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.json.CanonicalJson;
import java.util.List;

/** {@link RoomDirectoryStore} on the {@code room_directory} table. */
public final class JdbcRoomDirectoryStore implements RoomDirectoryStore {
    private static final String PUBLISH = "INSERT INTO room_directory (room_id, published_ts) VALUES (?, ?) "
            + "ON CONFLICT (room_id) DO NOTHING";
    private static final String WITHDRAW = "DELETE FROM room_directory WHERE room_id = ?";
    private static final String PUBLISHED = "SELECT 1 AS one FROM room_directory WHERE room_id = ?";
    private static final String ALL = "SELECT room_id FROM room_directory";

    private final Database db;

    public JdbcRoomDirectoryStore(Database db) {
        this.db = db;
    }

    @Override
    public void setPublished(RoomId roomId, boolean published) {
        if (published) {
            db.execute().insert(PUBLISH, roomId.value(), System.currentTimeMillis());
        } else {
            db.execute().delete(WITHDRAW, roomId.value());
        }
    }

    @Override
    public boolean isPublished(RoomId roomId) {
        return db.execute().get(PUBLISHED, roomId.value()).isPresent();
    }

    /** Sorted here: PostgreSQL's collation may order text otherwise. */
    @Override
    public List<RoomId> publishedRooms() {
        return db.execute().query(ALL).map(row -> Rows.string(row, "room_id"))
                .sorted(CanonicalJson.CODE_POINT_ORDER).map(RoomId::of).toList();
    }
}
