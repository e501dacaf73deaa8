package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.storage.EventStore.Direction;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link RelationStore} on the {@code event_relations} table. {@link #record} and {@link #forget}
 * are the writes, called by {@link JdbcEventStore} inside an event's persistence transaction.
 */
public final class JdbcRelationStore implements RelationStore {
    private static final String COLUMNS = "SELECT event_id, relates_to_id, rel_type, aggregation_key, room_id, "
            + "sender, type, stream_ordering FROM event_relations ";
    private static final String INSERT = "INSERT INTO event_relations (event_id, relates_to_id, rel_type, "
            + "aggregation_key, room_id, sender, type, stream_ordering) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String DELETE = "DELETE FROM event_relations WHERE event_id = ?";
    private static final String BUNDLED_TYPES = "rel_type IN ('" + Relation.REPLACE + "', '" + Relation.THREAD
            + "', '" + Relation.REFERENCE + "')";
    private static final String ANNOTATION = "SELECT 1 AS found FROM event_relations WHERE relates_to_id = ? "
            + "AND aggregation_key = ? AND sender = ? AND rel_type = '" + Relation.ANNOTATION + "' AND type = ?";
    private static final String PARENTS = "SELECT DISTINCT relates_to_id FROM event_relations WHERE " + BUNDLED_TYPES;

    private static final String THREADS = "SELECT relates_to_id, MAX(stream_ordering) AS latest FROM event_relations "
            + "WHERE room_id = ? AND rel_type = '" + Relation.THREAD + "' GROUP BY relates_to_id "
            + "HAVING MAX(stream_ordering) <= ? ";
    private static final String PARTICIPATED = "AND (SUM(CASE WHEN sender = ? THEN 1 ELSE 0 END) > 0 OR EXISTS "
            + "(SELECT 1 FROM events e WHERE e.event_id = relates_to_id AND e.sender = ?)) ";
    private static final String LATEST_FIRST = "ORDER BY latest DESC LIMIT ?";

    private final Database db;

    public JdbcRelationStore(Database db) {
        this.db = db;
    }

    /** Writes the relation of an event being persisted. */
    static void record(DbExecute tx, Relation r) {
        tx.insert(INSERT, r.eventId(), r.relatesTo(), r.relType(), r.aggregationKey(), r.roomId(), r.sender(),
                r.type(), r.stream());
    }

    /** Removes the relation of an event being redacted, if it had one. */
    static void forget(DbExecute tx, EventId eventId) {
        tx.delete(DELETE, eventId.value());
    }

    @Override
    public List<Relation> children(RoomId roomId, Collection<EventId> parents, String relType, String type,
                                   long from, long to, Direction direction, int limit) {
        if (parents.isEmpty() || limit <= 0) {
            return List.of();
        }
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder(COLUMNS).append("WHERE room_id = ? AND ");
        params.add(roomId.value());
        appendIn(sql, params, parents);
        if (relType != null) {
            sql.append("AND rel_type = ? ");
            params.add(relType);
        }
        if (type != null) {
            sql.append("AND type = ? ");
            params.add(type);
        }
        if (direction == Direction.FORWARDS) {
            sql.append("AND stream_ordering > ? AND stream_ordering <= ? ORDER BY stream_ordering ASC ");
        } else {
            sql.append("AND stream_ordering <= ? AND stream_ordering > ? ORDER BY stream_ordering DESC ");
        }
        params.add(from);
        params.add(to);
        sql.append("LIMIT ?");
        params.add(limit);
        return db.execute().query(sql.toString(), params.toArray()).map(JdbcRelationStore::relation).toList();
    }

    @Override
    public List<Relation> bundled(Collection<EventId> parents) {
        if (parents.isEmpty()) {
            return List.of();
        }
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder(COLUMNS).append("WHERE ");
        appendIn(sql, params, parents);
        sql.append("AND ").append(BUNDLED_TYPES).append(" ORDER BY stream_ordering ASC");
        return db.execute().query(sql.toString(), params.toArray()).map(JdbcRelationStore::relation).toList();
    }

    @Override
    public List<ThreadRoot> threads(RoomId roomId, long before, UserId participant, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        List<Object> params = new ArrayList<>(List.of(roomId.value(), before));
        String sql = THREADS;
        if (participant != null) {
            sql += PARTICIPATED;
            params.add(participant.value());
            params.add(participant.value());
        }
        params.add(limit);
        return db.execute().query(sql + LATEST_FIRST, params.toArray()).map(row -> new ThreadRoot(
                EventId.of(Rows.string(row, "relates_to_id")), Rows.longValue(row, "latest"))).toList();
    }

    @Override
    public boolean hasAnnotation(EventId parent, String type, String key, UserId sender) {
        return db.execute().get(ANNOTATION, parent.value(), key, sender.value(), type).isPresent();
    }

    @Override
    public Set<EventId> parentsWithBundledRelations() {
        Set<EventId> parents = new HashSet<>();
        db.execute().query(PARENTS).forEach(row -> parents.add(EventId.of(Rows.string(row, "relates_to_id"))));
        return parents;
    }

    private static void appendIn(StringBuilder sql, List<Object> params, Collection<EventId> parents) {
        sql.append("relates_to_id IN (");
        boolean first = true;
        for (EventId parent : parents) {
            sql.append(first ? "?" : ", ?");
            first = false;
            params.add(parent.value());
        }
        sql.append(") ");
    }

    private static Relation relation(DbRow row) {
        return new Relation(Rows.string(row, "event_id"), Rows.string(row, "relates_to_id"),
                Rows.string(row, "rel_type"), Rows.string(row, "aggregation_key"), Rows.string(row, "room_id"),
                Rows.string(row, "sender"), Rows.string(row, "type"), Rows.longValue(row, "stream_ordering"));
    }
}
