package dev.myelin.homeserver.storage;

import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomAlias;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import dev.myelin.federation.json.CanonicalJson;
import dev.myelin.homeserver.http.Json;
import io.helidon.dbclient.DbRow;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** {@link RoomStateStore} on the rooms, state, membership and alias tables. */
public final class JdbcRoomStateStore implements RoomStateStore {
    private static final String ROOM = "SELECT room_version, forward_extremities, current_state_group FROM rooms WHERE room_id = ?";
    private static final String LATEST = "SELECT e.state_group, e.stream_ordering, g.chain_length FROM events e "
            + "JOIN state_groups g ON g.id = e.state_group WHERE e.room_id = ? ORDER BY e.stream_ordering DESC LIMIT 1";
    private static final String MAX_DEPTH = "SELECT MAX(depth) AS d FROM events WHERE room_id = ?";
    private static final String CURRENT = "SELECT type, state_key, event_id FROM current_state WHERE room_id = ?";
    private static final String MEMBERSHIPS_OF = "SELECT room_id, user_id, membership, event_id, stream_ordering "
            + "FROM memberships WHERE user_id = ? AND forgotten = 0";
    private static final String MEMBERSHIP = "SELECT room_id, user_id, membership, event_id, stream_ordering "
            + "FROM memberships WHERE room_id = ? AND user_id = ?";
    private static final String MEMBERS = "SELECT user_id FROM memberships WHERE room_id = ? AND membership = ?";
    private static final String FORGET = "UPDATE memberships SET forgotten = 1 WHERE room_id = ? AND user_id = ? "
            + "AND membership IN ('leave', 'ban')";
    private static final String ALIAS = "SELECT room_id FROM room_aliases WHERE room_alias = ?";
    private static final String ADD_ALIAS = "INSERT INTO room_aliases (room_alias, room_id, creator) VALUES (?, ?, ?) "
            + "ON CONFLICT (room_alias) DO NOTHING";
    private static final String ALIAS_ROW = "SELECT room_alias, room_id, creator FROM room_aliases WHERE room_alias = ?";
    private static final String ALIASES_OF = "SELECT room_alias FROM room_aliases WHERE room_id = ?";
    private static final String DELETE_ALIAS = "DELETE FROM room_aliases WHERE room_alias = ?";
    private static final String MOVE_ALIASES = "UPDATE room_aliases SET room_id = ? WHERE room_id = ?";

    /** The entries of a state group's delta chain; {@code step} 0 is the group itself, then older ones. */
    private static final String GROUP_CHAIN = "WITH RECURSIVE chain (id, prev, step) AS ("
            + "SELECT id, prev_group, 0 FROM state_groups WHERE id = ? "
            + "UNION ALL SELECT g.id, g.prev_group, c.step + 1 FROM state_groups g JOIN chain c ON g.id = c.prev) "
            + "SELECT s.type, s.state_key, s.event_id, c.step FROM chain c "
            + "JOIN state_group_entries s ON s.state_group = c.id";
    /** The whole state of a group in one query, newest entries first. */
    private static final String GROUP_STATE = GROUP_CHAIN + " ORDER BY c.step";
    /** The entries for the wanted keys (conditions appended, then the order). */
    private static final String GROUP_KEYS = GROUP_CHAIN + " WHERE ";
    private static final String MEMBER_EVENTS = "SELECT stream_ordering, pdu FROM events WHERE room_id = ? "
            + "AND type = 'm.room.member' AND state_key = ? ORDER BY stream_ordering DESC";

    private final Database db;

    public JdbcRoomStateStore(Database db) {
        this.db = db;
    }

    @Override
    public Optional<RoomHead> roomHead(RoomId roomId) {
        Optional<DbRow> room = db.execute().get(ROOM, roomId.value());
        if (room.isEmpty()) {
            return Optional.empty();
        }
        String version = Rows.string(room.get(), "room_version");
        List<EventId> extremities = new ArrayList<>();
        Json.readTree(Rows.string(room.get(), "forward_extremities"))
                .forEach(id -> extremities.add(EventId.of(id.asText())));
        long maxDepth = db.execute().get(MAX_DEPTH, roomId.value())
                .map(row -> Rows.nullableLong(row, "d")).map(d -> d == null ? 0L : d).orElse(0L);
        Optional<DbRow> latest = db.execute().get(LATEST, roomId.value());
        long stream = latest.map(row -> Rows.longValue(row, "stream_ordering")).orElse(0L);
        // A current state resolved from several extremities is a snapshot group of its own.
        Long resolved = Rows.nullableLong(room.get(), "current_state_group");
        long group = resolved != null ? resolved : latest.map(row -> Rows.longValue(row, "state_group")).orElse(0L);
        int chain = resolved != null ? 0 : latest.map(row -> Rows.integer(row, "chain_length")).orElse(0);
        return Optional.of(new RoomHead(roomId, version, List.copyOf(extremities), maxDepth, group, chain, stream));
    }

    @Override
    public Map<StateKey, EventId> currentState(RoomId roomId) {
        Map<StateKey, EventId> state = new HashMap<>();
        db.execute().query(CURRENT, roomId.value()).forEach(row -> state.put(key(row), eventId(row)));
        return state;
    }

    @Override
    public Map<StateKey, EventId> stateOfGroup(long stateGroup) {
        Map<StateKey, EventId> state = new HashMap<>();
        db.execute().query(GROUP_STATE, stateGroup).forEach(row -> state.putIfAbsent(key(row), eventId(row)));
        return state;
    }

    @Override
    public Map<StateKey, EventId> stateOfGroup(long stateGroup, Collection<StateKey> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        StringBuilder sql = new StringBuilder(GROUP_KEYS);
        List<Object> params = new ArrayList<>();
        params.add(stateGroup);
        boolean first = true;
        for (StateKey key : keys) {
            sql.append(first ? "(" : " OR (").append("s.type = ? AND s.state_key = ?)");
            params.add(key.type());
            params.add(key.stateKey());
            first = false;
        }
        sql.append(" ORDER BY c.step");
        Map<StateKey, EventId> state = new HashMap<>();
        db.execute().query(sql.toString(), params.toArray()).forEach(row -> state.putIfAbsent(key(row), eventId(row)));
        return state;
    }

    @Override
    public OptionalLong lastJoin(RoomId roomId, UserId userId) {
        List<Long> joins = db.execute().query(MEMBER_EVENTS, roomId.value(), userId.value())
                .filter(row -> "join".equals(Json.readObject(Rows.string(row, "pdu")).path("content")
                        .path("membership").asText()))
                .map(row -> Rows.longValue(row, "stream_ordering"))
                .toList();
        return joins.isEmpty() ? OptionalLong.empty() : OptionalLong.of(joins.get(0));
    }

    @Override
    public List<MembershipRow> membershipsOf(UserId userId) {
        return db.execute().query(MEMBERSHIPS_OF, userId.value()).map(JdbcRoomStateStore::membershipRow).toList();
    }

    /** Ordered by user ID in code point order, which SQL cannot promise: PostgreSQL sorts by its collation. */
    @Override
    public List<UserId> members(RoomId roomId, String membership) {
        return db.execute().query(MEMBERS, roomId.value(), membership).map(row -> Rows.string(row, "user_id"))
                .sorted(CanonicalJson.CODE_POINT_ORDER).map(UserId::of).toList();
    }

    @Override
    public Optional<MembershipRow> membership(RoomId roomId, UserId userId) {
        return db.execute().get(MEMBERSHIP, roomId.value(), userId.value()).map(JdbcRoomStateStore::membershipRow);
    }

    @Override
    public boolean forget(RoomId roomId, UserId userId) {
        return db.execute().update(FORGET, roomId.value(), userId.value()) > 0;
    }

    @Override
    public Optional<RoomId> roomForAlias(RoomAlias alias) {
        return db.execute().get(ALIAS, alias.value()).map(row -> RoomId.of(Rows.string(row, "room_id")));
    }

    @Override
    public boolean createAlias(RoomAlias alias, RoomId roomId, UserId creator) {
        return db.execute().insert(ADD_ALIAS, alias.value(), roomId.value(), creator.value()) == 1;
    }

    @Override
    public Optional<AliasRow> alias(RoomAlias alias) {
        return db.execute().get(ALIAS_ROW, alias.value()).map(row -> new AliasRow(
                RoomAlias.of(Rows.string(row, "room_alias")), RoomId.of(Rows.string(row, "room_id")),
                UserId.of(Rows.string(row, "creator"))));
    }

    /** Sorted in code point order here, as PostgreSQL's collation may sort otherwise. */
    @Override
    public List<RoomAlias> aliasesOf(RoomId roomId) {
        return db.execute().query(ALIASES_OF, roomId.value()).map(row -> Rows.string(row, "room_alias"))
                .sorted(CanonicalJson.CODE_POINT_ORDER).map(RoomAlias::of).toList();
    }

    @Override
    public boolean deleteAlias(RoomAlias alias) {
        return db.execute().delete(DELETE_ALIAS, alias.value()) > 0;
    }

    @Override
    public int moveAliases(RoomId from, RoomId to) {
        return (int) db.execute().update(MOVE_ALIASES, to.value(), from.value());
    }

    private static StateKey key(DbRow row) {
        return new StateKey(Rows.string(row, "type"), Rows.string(row, "state_key"));
    }

    private static EventId eventId(DbRow row) {
        return EventId.of(Rows.string(row, "event_id"));
    }

    private static MembershipRow membershipRow(DbRow row) {
        return new MembershipRow(RoomId.of(Rows.string(row, "room_id")), UserId.of(Rows.string(row, "user_id")),
                Rows.string(row, "membership"), EventId.of(Rows.string(row, "event_id")),
                Rows.longValue(row, "stream_ordering"));
    }
}
