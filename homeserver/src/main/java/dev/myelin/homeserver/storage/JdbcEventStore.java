package dev.myelin.homeserver.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.event.RoomVersion;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.Json;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link EventStore} on the {@code events} table and, for persistence, the state, membership and
 * extremity tables it implies. Room versions are cached: every PDU is parsed under its version.
 */
public final class JdbcEventStore implements EventStore {
    private static final String COLUMNS = "SELECT e.stream_ordering, e.pdu, e.state_group, e.prev_state_id, "
            + "e.sender_device, e.txn_id, e.redacted_by, r.room_version FROM events e "
            + "JOIN rooms r ON r.room_id = e.room_id ";
    private static final String BY_ID = COLUMNS + "WHERE e.event_id = ?";
    private static final String INSERT_EVENT = "INSERT INTO events (stream_ordering, event_id, room_id, type, "
            + "state_key, sender, depth, origin_server_ts, state_group, pdu, prev_state_id, sender_device, txn_id) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_ROOM = "INSERT INTO rooms (room_id, room_version, creator, created_ts, "
            + "forward_extremities) VALUES (?, ?, ?, ?, '[]')";
    private static final String INSERT_TXN = "INSERT INTO event_txn_ids (user_id, device_id, txn_id, event_id) VALUES (?, ?, ?, ?)";
    private static final String TXN = "SELECT event_id FROM event_txn_ids WHERE user_id = ? AND device_id = ? AND txn_id = ?";
    private static final String SET_EXTREMITIES = "UPDATE rooms SET forward_extremities = ?, current_state_group = NULL "
            + "WHERE room_id = ?";
    private static final String SET_RESOLVED = "UPDATE rooms SET forward_extremities = ?, current_state_group = ? "
            + "WHERE room_id = ?";
    private static final String DELETE_CURRENT = "DELETE FROM current_state WHERE room_id = ? AND type = ? AND state_key = ?";
    private static final String INSERT_GROUP = "INSERT INTO state_groups (id, room_id, prev_group, chain_length) VALUES (?, ?, ?, ?)";
    private static final String INSERT_ENTRY = "INSERT INTO state_group_entries (state_group, type, state_key, event_id) VALUES (?, ?, ?, ?)";
    private static final String CURRENT_INTO = "INSERT INTO current_state (room_id, type, state_key, event_id)";
    private static final String CURRENT_CONFLICT = "ON CONFLICT (room_id, type, state_key) DO UPDATE SET event_id = excluded.event_id";
    private static final String UPSERT_CURRENT = CURRENT_INTO + " VALUES (?, ?, ?, ?) " + CURRENT_CONFLICT;
    private static final String MEMBERSHIP_INTO = "INSERT INTO memberships (room_id, user_id, membership, event_id, "
            + "stream_ordering, forgotten)";
    private static final String MEMBERSHIP_CONFLICT = "ON CONFLICT (room_id, user_id) DO UPDATE SET membership = "
            + "excluded.membership, event_id = excluded.event_id, stream_ordering = excluded.stream_ordering, forgotten = 0";
    private static final String UPSERT_MEMBERSHIP = MEMBERSHIP_INTO + " VALUES (?, ?, ?, ?, ?, 0) " + MEMBERSHIP_CONFLICT;
    private static final String REDACT = "UPDATE events SET pdu = ?, redacted_by = ? WHERE event_id = ?";
    private static final String OUTLIER_COLUMNS = "SELECT pdu, room_version FROM event_outliers ";
    private static final String OUTLIER_INTO = "INSERT INTO event_outliers (event_id, room_id, room_version, pdu)";
    private static final String OUTLIER_CONFLICT = "ON CONFLICT (event_id) DO NOTHING";
    private static final String INSERT_OUTLIER = OUTLIER_INTO + " VALUES (?, ?, ?, ?) " + OUTLIER_CONFLICT;
    private static final String MAX_STREAM = "SELECT COALESCE(MAX(stream_ordering), 0) AS m FROM events";
    private static final String MAX_GROUP = "SELECT COALESCE(MAX(id), 0) AS m FROM state_groups";

    private final Database db;

    public JdbcEventStore(Database db) {
        this.db = db;
    }

    /**
     * A plain message on PostgreSQL: the event, its transaction ID and the room's new extremities
     * in one statement (data-modifying CTEs), so that it costs one round trip and one commit.
     */
    private static final String PERSIST_MESSAGE_PG = "WITH event AS (" + INSERT_EVENT + "), "
            + "txn AS (INSERT INTO event_txn_ids (user_id, device_id, txn_id, event_id) "
            + "SELECT ?, ?, ?, ? WHERE ?::text IS NOT NULL) "
            + SET_EXTREMITIES;

    @Override
    public void persist(NewEvent change) {
        try {
            Relation relation = Relation.of(change.event().pdu(), change.event().stream());
            if (db.dialect() == Dialect.POSTGRES && isPlainMessage(change) && relation == null) {
                persistMessage(change);
            } else {
                persistInTransaction(change, relation);
            }
        } catch (RuntimeException e) {
            if (Database.isUniqueViolation(e, "event_txn_ids")) {
                throw new DuplicateTransactionException();
            }
            throw e;
        }
    }

    private static boolean isPlainMessage(NewEvent change) {
        return change.roomVersion() == null && change.newStateGroup() == null && change.membership() == null
                && change.redacts() == null && change.current() == null;
    }

    private static String extremities(NewEvent change) {
        return Json.writeString(change.extremities().stream().map(EventId::value).toList());
    }

    private void persistMessage(NewEvent change) {
        StoredEvent stored = change.event();
        Pdu pdu = stored.pdu();
        String txnId = change.sender() != null ? stored.txnId() : null;
        db.execute().insert(PERSIST_MESSAGE_PG, stored.stream(), pdu.eventId().value(), pdu.roomId().value(),
                pdu.type(), pdu.stateKey(), pdu.sender().value(), pdu.depth(), pdu.originServerTs(),
                stored.stateGroup(), pdu.canonicalJson(), stored.prevStateId(), stored.senderDevice(), stored.txnId(),
                change.sender() == null ? null : change.sender().value(), stored.senderDevice(), txnId,
                pdu.eventId().value(), txnId,
                extremities(change), pdu.roomId().value());
    }

    private void persistInTransaction(NewEvent change, Relation relation) {
        StoredEvent stored = change.event();
        Pdu pdu = stored.pdu();
        db.inTransaction("persist_event", tx -> {
            if (change.roomVersion() != null) {
                tx.insert(INSERT_ROOM, pdu.roomId().value(), change.roomVersion(), pdu.sender().value(),
                        pdu.originServerTs());
            }
            tx.insert(INSERT_EVENT, stored.stream(), pdu.eventId().value(), pdu.roomId().value(), pdu.type(),
                    pdu.stateKey(), pdu.sender().value(), pdu.depth(), pdu.originServerTs(), stored.stateGroup(),
                    pdu.canonicalJson(), stored.prevStateId(), stored.senderDevice(),
                    stored.txnId());
            if (change.sender() != null && stored.txnId() != null) {
                tx.insert(INSERT_TXN, change.sender().value(), stored.senderDevice(), stored.txnId(),
                        pdu.eventId().value());
            }
            if (change.newStateGroup() != null) {
                writeStateGroup(tx, change, pdu);
            }
            if (change.current() == null) {
                tx.update(SET_EXTREMITIES, extremities(change), pdu.roomId().value());
                if (pdu.isState()) {
                    tx.insert(UPSERT_CURRENT, pdu.roomId().value(), pdu.type(), pdu.stateKey(), pdu.eventId().value());
                }
                if (change.membership() != null) {
                    tx.insert(UPSERT_MEMBERSHIP, pdu.roomId().value(), change.membership().userId().value(),
                            change.membership().membership(), pdu.eventId().value(), stored.stream());
                }
            } else {
                writeCurrentState(tx, change, stored);
            }
            if (change.redacts() != null) {
                tx.update(REDACT, change.redacts().redactedPdu().canonicalJson(),
                        pdu.eventId().value(), change.redacts().target().value());
                JdbcRelationStore.forget(tx, change.redacts().target());
            }
            if (relation != null) {
                JdbcRelationStore.record(tx, relation);
            }
        });
    }

    /** The current state after an event received over federation (see {@link NewEvent.CurrentState}). */
    private static void writeCurrentState(DbExecute tx, NewEvent change, StoredEvent stored) {
        NewEvent.CurrentState current = change.current();
        String roomId = stored.pdu().roomId().value();
        if (current.group() != null) {
            tx.insert(INSERT_GROUP, current.group(), roomId, null, 0);
            insertEntries(tx, current.group(), current.snapshot());
        }
        tx.update(SET_RESOLVED, extremities(change), current.group(), roomId);
        for (var key : current.removed()) {
            tx.delete(DELETE_CURRENT, roomId, key.type(), key.stateKey());
        }
        List<Object[]> changed = new ArrayList<>();
        for (NewEvent.StateEntry entry : current.changed()) {
            changed.add(new Object[] {roomId, entry.key().type(), entry.key().stateKey(), entry.eventId().value()});
        }
        MultiRowInsert.insert(tx, CURRENT_INTO, CURRENT_CONFLICT, changed);
        List<Object[]> members = new ArrayList<>();
        for (NewEvent.MemberChange m : current.memberships()) {
            members.add(new Object[] {roomId, m.userId().value(), m.membership(), m.eventId().value(), stored.stream(), 0});
        }
        MultiRowInsert.insert(tx, MEMBERSHIP_INTO, MEMBERSHIP_CONFLICT, members);
    }

    private static void insertEntries(DbExecute tx, long group, List<NewEvent.StateEntry> entries) {
        List<Object[]> rows = new ArrayList<>(entries.size());
        for (NewEvent.StateEntry entry : entries) {
            rows.add(new Object[] {group, entry.key().type(), entry.key().stateKey(), entry.eventId().value()});
        }
        MultiRowInsert.insert(tx, "INSERT INTO state_group_entries (state_group, type, state_key, event_id)", "", rows);
    }

    private static void writeStateGroup(DbExecute tx, NewEvent change, Pdu pdu) {
        long group = change.newStateGroup();
        tx.insert(INSERT_GROUP, group, pdu.roomId().value(), change.prevStateGroup(), change.chainLength());
        if (change.snapshot() != null) {
            insertEntries(tx, group, change.snapshot());
        } else {
            tx.insert(INSERT_ENTRY, group, pdu.type(), pdu.stateKey(), pdu.eventId().value());
        }
    }

    @Override
    public void persistOutliers(Collection<Pdu> events) {
        if (events.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Pdu pdu : events) {
            if (seen.add(pdu.eventId().value())) {
                rows.add(new Object[] {pdu.eventId().value(), pdu.roomId().value(), pdu.roomVersion().id(),
                        pdu.canonicalJson()});
            }
        }
        db.inTransaction("persist_outliers", tx -> {
            MultiRowInsert.insert(tx, OUTLIER_INTO, OUTLIER_CONFLICT, rows);
        });
    }

    @Override
    public void persistOutOfRoomMembership(Pdu memberEvent, long stream) {
        db.inTransaction("persist_out_of_room_membership", tx -> {
            tx.insert(INSERT_OUTLIER, memberEvent.eventId().value(), memberEvent.roomId().value(),
                    memberEvent.roomVersion().id(), memberEvent.canonicalJson());
            tx.insert(UPSERT_MEMBERSHIP, memberEvent.roomId().value(), memberEvent.stateKey(),
                    memberEvent.membership(), memberEvent.eventId().value(), stream);
        });
    }

    @Override
    public void persistBackfilled(List<StoredEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        db.inTransaction("persist_backfilled", tx -> {
            for (StoredEvent stored : events) {
                Pdu pdu = stored.pdu();
                tx.insert(INSERT_EVENT, stored.stream(), pdu.eventId().value(), pdu.roomId().value(), pdu.type(),
                        pdu.stateKey(), pdu.sender().value(), pdu.depth(), pdu.originServerTs(), stored.stateGroup(),
                        pdu.canonicalJson(), stored.prevStateId(), null, null);
                Relation relation = Relation.of(pdu, stored.stream());
                if (relation != null) {
                    JdbcRelationStore.record(tx, relation);
                }
            }
        });
    }

    @Override
    public Optional<StoredEvent> earliestEvent(RoomId roomId) {
        return db.execute().get(COLUMNS + "WHERE e.room_id = ? ORDER BY e.stream_ordering ASC LIMIT 1", roomId.value())
                .map(JdbcEventStore::stored);
    }

    @Override
    public long minStream() {
        return db.execute().get("SELECT COALESCE(MIN(stream_ordering), 0) AS m FROM events")
                .map(row -> Math.min(0L, Rows.longValue(row, "m"))).orElse(0L);
    }

    @Override
    public Optional<StoredEvent> event(EventId eventId) {
        Optional<StoredEvent> event = db.execute().get(BY_ID, eventId.value()).map(JdbcEventStore::stored);
        if (event.isPresent()) {
            return event;
        }
        return db.execute().get(OUTLIER_COLUMNS + "WHERE event_id = ?", eventId.value()).map(JdbcEventStore::outlier);
    }

    @Override
    public List<StoredEvent> events(Collection<EventId> eventIds) {
        if (eventIds.isEmpty()) {
            return List.of();
        }
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder(COLUMNS).append("WHERE e.event_id IN (");
        for (EventId id : eventIds) {
            sql.append(params.isEmpty() ? "?" : ", ?");
            params.add(id.value());
        }
        sql.append(")");
        Map<String, StoredEvent> byId = new LinkedHashMap<>();
        db.execute().query(sql.toString(), params.toArray()).map(JdbcEventStore::stored)
                .forEach(e -> byId.put(e.pdu().eventId().value(), e));
        if (byId.size() < eventIds.size()) {
            outliers(eventIds, byId);
        }
        List<StoredEvent> ordered = new ArrayList<>(byId.size());
        for (EventId id : eventIds) {
            StoredEvent e = byId.get(id.value());
            if (e != null) {
                ordered.add(e);
            }
        }
        return ordered;
    }

    /** Adds the outliers among the IDs not found in the timeline. */
    private void outliers(Collection<EventId> eventIds, Map<String, StoredEvent> byId) {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder(OUTLIER_COLUMNS).append("WHERE event_id IN (");
        for (EventId id : eventIds) {
            if (!byId.containsKey(id.value())) {
                sql.append(params.isEmpty() ? "?" : ", ?");
                params.add(id.value());
            }
        }
        sql.append(")");
        db.execute().query(sql.toString(), params.toArray()).map(JdbcEventStore::outlier)
                .forEach(e -> byId.put(e.pdu().eventId().value(), e));
    }

    @Override
    public List<StoredEvent> roomEvents(RoomId roomId, long from, long to, Direction direction, int limit,
                                        EventQuery query) {
        if (limit <= 0) {
            return List.of(); // SQLite reads LIMIT -1 as no limit, PostgreSQL rejects it
        }
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder(COLUMNS).append("WHERE e.room_id = ? ");
        params.add(roomId.value());
        if (direction == Direction.FORWARDS) {
            sql.append("AND e.stream_ordering > ? AND e.stream_ordering <= ? ");
            params.add(from);
            params.add(to);
        } else {
            sql.append("AND e.stream_ordering <= ? AND e.stream_ordering > ? ");
            params.add(from);
            params.add(to);
        }
        EventQueries.appendMatch(db.dialect(), sql, params, "e.type", query.types(), false);
        EventQueries.appendMatch(db.dialect(), sql, params, "e.type", query.notTypes(), true);
        EventQueries.appendMatch(db.dialect(), sql, params, "e.sender", query.senders(), false);
        EventQueries.appendMatch(db.dialect(), sql, params, "e.sender", query.notSenders(), true);
        sql.append("ORDER BY e.stream_ordering ").append(direction == Direction.FORWARDS ? "ASC" : "DESC");
        sql.append(" LIMIT ?");
        params.add(limit);
        return db.execute().query(sql.toString(), params.toArray()).map(JdbcEventStore::stored).toList();
    }

    @Override
    public Optional<EventId> eventForTransaction(UserId userId, String deviceId, String txnId) {
        return db.execute().get(TXN, userId.value(), deviceId, txnId)
                .map(row -> EventId.of(Rows.string(row, "event_id")));
    }

    @Override
    public long maxStream() {
        return db.execute().get(MAX_STREAM).map(row -> Rows.longValue(row, "m")).orElse(0L);
    }

    @Override
    public long maxStateGroup() {
        return db.execute().get(MAX_GROUP).map(row -> Rows.longValue(row, "m")).orElse(0L);
    }

    /** An outlier has no stream position and no state group: both read as 0. */
    private static StoredEvent outlier(DbRow row) {
        RoomVersion version = RoomVersion.byId(Rows.string(row, "room_version"))
                .orElseThrow(() -> new IllegalStateException("stored outlier with unknown version"));
        return new StoredEvent(0, Pdu.fromJson(Json.readObject(Rows.string(row, "pdu")), version), 0, null, null,
                null, null);
    }

    private static StoredEvent stored(DbRow row) {
        RoomVersion version = RoomVersion.byId(Rows.string(row, "room_version"))
                .orElseThrow(() -> new IllegalStateException("stored room with unknown version"));
        ObjectNode json = Json.readObject(Rows.string(row, "pdu"));
        return new StoredEvent(Rows.longValue(row, "stream_ordering"), Pdu.fromJson(json, version),
                Rows.longValue(row, "state_group"), Rows.string(row, "prev_state_id"),
                Rows.string(row, "sender_device"), Rows.string(row, "txn_id"), Rows.string(row, "redacted_by"));
    }
}
