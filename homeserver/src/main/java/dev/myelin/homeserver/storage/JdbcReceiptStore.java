package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import java.util.List;

/** {@link ReceiptStore} on the {@code receipts} table; an unthreaded receipt has thread_id ''. */
public final class JdbcReceiptStore implements ReceiptStore {
    private static final String UNTHREADED = "";
    private static final String PUT = "INSERT INTO receipts (room_id, user_id, receipt_type, thread_id, event_id, "
            + "event_stream, ts, stream_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (room_id, user_id, receipt_type, thread_id) DO UPDATE SET event_id = excluded.event_id, "
            + "event_stream = excluded.event_stream, ts = excluded.ts, stream_id = excluded.stream_id";
    private static final String IN_ROOM = "SELECT user_id, receipt_type, thread_id, event_id, event_stream, ts, "
            + "stream_id FROM receipts WHERE room_id = ? ORDER BY stream_id";
    private static final String MAX = "SELECT COALESCE(MAX(stream_id), 0) AS max_id FROM receipts";

    private final Database db;

    public JdbcReceiptStore(Database db) {
        this.db = db;
    }

    @Override
    public void put(Receipt r) {
        db.execute().insert(PUT, r.roomId().value(), r.userId().value(), r.type(),
                r.threadId() == null ? UNTHREADED : r.threadId(), r.eventId().value(), r.eventStream(), r.ts(),
                r.streamId());
    }

    @Override
    public List<Receipt> inRoom(RoomId roomId) {
        return db.execute().query(IN_ROOM, roomId.value()).map(row -> {
            String thread = Rows.string(row, "thread_id");
            return new Receipt(roomId, UserId.of(Rows.string(row, "user_id")), Rows.string(row, "receipt_type"),
                    thread.isEmpty() ? null : thread, EventId.of(Rows.string(row, "event_id")),
                    Rows.longValue(row, "event_stream"), Rows.longValue(row, "ts"), Rows.longValue(row, "stream_id"));
        }).toList();
    }

    @Override
    public long maxStreamId() {
        return db.execute().get(MAX).map(row -> Rows.longValue(row, "max_id")).orElse(0L);
    }
}
