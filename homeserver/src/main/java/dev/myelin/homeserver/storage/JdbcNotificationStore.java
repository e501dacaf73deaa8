package dev.myelin.homeserver.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.Json;
import io.helidon.dbclient.DbRow;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link NotificationStore} on {@code event_notifications} (the notified users of an event as
 * one JSON column, so an event costs one row however many members it notifies) and
 * {@code push_read_positions}.
 */
public final class JdbcNotificationStore implements NotificationStore {
    /** Rows per INSERT statement, well under both databases' parameter limits. */
    private static final int ROWS_PER_INSERT = 200;
    private static final String INSERT = "INSERT INTO event_notifications (stream_ordering, room_id, event_id, sender, "
            + "thread_id, ts, notified) VALUES ";
    private static final String COLUMNS = "SELECT stream_ordering, room_id, event_id, sender, thread_id, ts, notified "
            + "FROM event_notifications ";
    private static final String IN_ROOM_AFTER = COLUMNS + "WHERE room_id = ? AND stream_ordering > ? "
            + "ORDER BY stream_ordering";
    private static final String READ = "INSERT INTO push_read_positions (user_id, room_id, thread_id, stream_ordering) "
            + "VALUES (?, ?, ?, ?) ON CONFLICT (user_id, room_id, thread_id) DO UPDATE SET stream_ordering = "
            + "CASE WHEN excluded.stream_ordering > push_read_positions.stream_ordering "
            + "THEN excluded.stream_ordering ELSE push_read_positions.stream_ordering END";
    private static final String READ_POSITIONS = "SELECT user_id, thread_id, stream_ordering FROM push_read_positions "
            + "WHERE room_id = ?";

    private final Database db;

    public JdbcNotificationStore(Database db) {
        this.db = db;
    }

    @Override
    public void add(List<EventNotification> notifications) {
        if (notifications.isEmpty()) {
            return;
        }
        db.inTransaction("add_event_notifications", tx -> {
            for (int from = 0; from < notifications.size(); from += ROWS_PER_INSERT) {
                List<EventNotification> chunk = notifications.subList(from,
                        Math.min(notifications.size(), from + ROWS_PER_INSERT));
                StringBuilder sql = new StringBuilder(INSERT);
                List<Object> params = new ArrayList<>(chunk.size() * 7);
                for (EventNotification n : chunk) {
                    sql.append(params.isEmpty() ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?)");
                    params.add(n.stream());
                    params.add(n.roomId().value());
                    params.add(n.eventId().value());
                    params.add(n.sender().value());
                    params.add(n.threadId());
                    params.add(n.ts());
                    params.add(notified(n));
                }
                tx.insert(sql.toString(), params.toArray());
            }
        });
    }

    @Override
    public List<EventNotification> inRoomAfter(RoomId room, long after) {
        return db.execute().query(IN_ROOM_AFTER, room.value(), after).map(JdbcNotificationStore::notification).toList();
    }

    @Override
    public List<EventNotification> latestBefore(Collection<RoomId> rooms, long before, int limit) {
        if (rooms.isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder(COLUMNS).append("WHERE stream_ordering < ? AND room_id IN (");
        List<Object> params = new ArrayList<>();
        params.add(before);
        for (RoomId room : rooms) {
            sql.append(params.size() == 1 ? "?" : ", ?");
            params.add(room.value());
        }
        sql.append(") ORDER BY stream_ordering DESC LIMIT ?");
        params.add(limit);
        return db.execute().query(sql.toString(), params.toArray()).map(JdbcNotificationStore::notification).toList();
    }

    @Override
    public void read(UserId user, RoomId room, String threadId, long stream) {
        db.execute().insert(READ, user.value(), room.value(), threadId, stream);
    }

    @Override
    public List<ReadPosition> readPositions(RoomId room) {
        return db.execute().query(READ_POSITIONS, room.value()).map(row -> new ReadPosition(
                UserId.of(Rows.string(row, "user_id")), Rows.string(row, "thread_id"),
                Rows.longValue(row, "stream_ordering"))).toList();
    }

    /** {"actions": [...], "users": {"@user:server": index, ...}}, written directly: it is built for every event. */
    private static String notified(EventNotification n) {
        StringBuilder json = new StringBuilder(64 + 48 * n.users().size()).append("{\"actions\":[");
        for (int i = 0; i < n.actions().size(); i++) {
            json.append(i == 0 ? "" : ",").append(n.actions().get(i)); // already JSON
        }
        json.append("],\"users\":{");
        boolean first = true;
        for (Map.Entry<UserId, Integer> user : n.users().entrySet()) {
            json.append(first ? "\"" : ",\"").append(JsonStringEncoder.getInstance().quoteAsString(user.getKey().value()))
                    .append("\":").append(user.getValue());
            first = false;
        }
        return json.append("}}").toString();
    }

    private static EventNotification notification(DbRow row) {
        JsonNode notified = Json.readTree(Rows.string(row, "notified"));
        List<String> actions = new ArrayList<>();
        notified.path("actions").forEach(a -> actions.add(Json.writeString(a)));
        Map<UserId, Integer> users = new LinkedHashMap<>();
        notified.path("users").fields().forEachRemaining(e -> users.put(UserId.of(e.getKey()), e.getValue().asInt()));
        return new EventNotification(Rows.longValue(row, "stream_ordering"), RoomId.of(Rows.string(row, "room_id")),
                EventId.of(Rows.string(row, "event_id")), UserId.of(Rows.string(row, "sender")),
                Rows.string(row, "thread_id"), Rows.longValue(row, "ts"), List.copyOf(actions), Map.copyOf(users));
    }
}
