package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import io.helidon.dbclient.DbRow;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link SearchStore} on PostgreSQL full-text search (the {@code events.search_vector} generated
 * column under a GIN index) and SQLite FTS5 (the {@code events_search} table kept by triggers).
 *
 * <p>Both take the newest {@value #WINDOW} matching events of the rooms in scope, then order
 * that window by rank or by recency. The window keeps a common word over millions of events as
 * cheap as a rare one; the count it gives is exact below the window and approximate above.
 */
public final class JdbcSearchStore implements SearchStore {
    /** How many of the newest matches a search ranks and counts. */
    static final int WINDOW = 1000;

    private final Database db;

    public JdbcSearchStore(Database db) {
        this.db = db;
    }

    @Override
    public Page search(Query query) {
        List<String> words = SearchTerms.words(query.term());
        if (words.isEmpty() || query.rooms().isEmpty() || query.keys().isEmpty() || query.limit() <= 0) {
            return new Page(List.of(), 0);
        }
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("WITH m AS (");
        if (db.dialect() == Dialect.POSTGRES) {
            sql.append("SELECT e.stream_ordering, e.event_id, e.room_id, e.search_vector FROM events e "
                    + "WHERE e.search_vector @@ plainto_tsquery('english', ?) ");
            params.add(query.term());
            if (query.keys().size() < Key.values().length) {
                sql.append("AND ts_filter(e.search_vector, ?::\"char\"[]) @@ plainto_tsquery('english', ?) ");
                params.add(weights(query));
                params.add(query.term());
            }
        } else {
            sql.append("SELECT e.stream_ordering, e.event_id, e.room_id, bm25(events_search) AS score "
                    + "FROM events_search JOIN events e ON e.stream_ordering = events_search.rowid "
                    + "WHERE events_search MATCH ? ");
            params.add(SearchTerms.fts5Query(words, columns(query)));
        }
        appendScope(sql, params, query.rooms());
        EventStore.EventQuery filter = query.filter();
        EventQueries.appendMatch(db.dialect(), sql, params, "e.type", filter.types(), false);
        EventQueries.appendMatch(db.dialect(), sql, params, "e.type", filter.notTypes(), true);
        EventQueries.appendMatch(db.dialect(), sql, params, "e.sender", filter.senders(), false);
        EventQueries.appendMatch(db.dialect(), sql, params, "e.sender", filter.notSenders(), true);
        if (query.order() == Order.RECENT) {
            sql.append("AND e.stream_ordering < ? ");
            params.add(query.before());
        }
        // On SQLite, ordering by the FTS5 rowid (the stream position) lets FTS5 walk its index
        // newest first and stop at the window, instead of matching and sorting every hit.
        sql.append(db.dialect() == Dialect.POSTGRES ? "ORDER BY e.stream_ordering DESC " : "ORDER BY events_search.rowid DESC ")
                .append("LIMIT ").append(WINDOW).append(") ");
        if (db.dialect() == Dialect.POSTGRES) {
            sql.append("SELECT m.stream_ordering, m.event_id, m.room_id, "
                    + "ts_rank(m.search_vector, plainto_tsquery('english', ?)) AS rank, ");
            params.add(query.term());
        } else {
            sql.append("SELECT m.stream_ordering, m.event_id, m.room_id, -m.score AS rank, ");
        }
        sql.append("(SELECT COUNT(*) FROM m) AS total FROM m ORDER BY ");
        sql.append(query.order() == Order.RANK ? "rank DESC, m.stream_ordering DESC " : "m.stream_ordering DESC ");
        sql.append("LIMIT ? OFFSET ?");
        params.add(query.limit());
        params.add(query.order() == Order.RANK ? query.offset() : 0);

        AtomicLong total = new AtomicLong();
        List<Hit> hits = db.execute().query(sql.toString(), params.toArray()).map(row -> {
            total.set(Rows.longValue(row, "total"));
            return hit(row);
        }).toList();
        return new Page(hits, total.get());
    }

    /** Rooms readable to the end in one IN list; rooms readable up to a position each on their own. */
    private static void appendScope(StringBuilder sql, List<Object> params, List<RoomScope> rooms) {
        sql.append("AND (");
        List<RoomId> whole = rooms.stream().filter(r -> r.upTo() == Long.MAX_VALUE).map(RoomScope::roomId).toList();
        boolean first = true;
        if (!whole.isEmpty()) {
            sql.append("e.room_id IN (");
            for (int i = 0; i < whole.size(); i++) {
                sql.append(i == 0 ? "?" : ", ?");
                params.add(whole.get(i).value());
            }
            sql.append(")");
            first = false;
        }
        for (RoomScope room : rooms) {
            if (room.upTo() != Long.MAX_VALUE) {
                sql.append(first ? "" : " OR ").append("(e.room_id = ? AND e.stream_ordering <= ?)");
                params.add(room.roomId().value());
                params.add(room.upTo());
                first = false;
            }
        }
        sql.append(") ");
    }

    /** PostgreSQL weights of the keys searched: A body, B name, C topic (see migration 007). */
    private static String weights(Query query) {
        List<String> weights = new ArrayList<>();
        query.keys().forEach(key -> weights.add(switch (key) {
            case BODY -> "a";
            case NAME -> "b";
            case TOPIC -> "c";
        }));
        return "{" + String.join(",", weights) + "}";
    }

    /** SQLite FTS5 columns of the keys searched. */
    private static List<String> columns(Query query) {
        return query.keys().stream().map(key -> switch (key) {
            case BODY -> "body";
            case NAME -> "name";
            case TOPIC -> "topic";
        }).toList();
    }

    private static Hit hit(DbRow row) {
        return new Hit(Rows.longValue(row, "stream_ordering"), EventId.of(Rows.string(row, "event_id")),
                RoomId.of(Rows.string(row, "room_id")), Rows.doubleValue(row, "rank"));
    }
}
