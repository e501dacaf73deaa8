package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.UserId;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link UserDirectoryStore} on the {@code user_directory} table, joined with {@code users} for
 * profiles and with {@code memberships} and the rooms' current join rules for visibility. Reading
 * a join rule out of the stored event JSON is the one dialect difference.
 */
public final class JdbcUserDirectoryStore implements UserDirectoryStore {
    private static final String UPSERT = "INSERT INTO user_directory (user_id, search_words) VALUES (?, ?) "
            + "ON CONFLICT (user_id) DO UPDATE SET search_words = excluded.search_words";
    private static final String MISSING = "SELECT u.user_id, u.displayname FROM users u "
            + "LEFT JOIN user_directory d ON d.user_id = u.user_id WHERE d.user_id IS NULL";
    private static final String SEARCH_HEAD = "SELECT d.user_id, u.displayname, u.avatar_url FROM user_directory d "
            + "JOIN users u ON u.user_id = d.user_id WHERE u.deactivated = 0";
    private static final String WORD = " AND d.search_words LIKE ?";
    /** Every lookup per candidate goes through a primary key or index: memberships, current_state, events. */
    private static final String VISIBLE = " AND EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = d.user_id "
            + "AND m.membership = 'join' AND (EXISTS (SELECT 1 FROM memberships s WHERE s.room_id = m.room_id "
            + "AND s.user_id = ? AND s.membership = 'join') OR EXISTS (SELECT 1 FROM current_state c "
            + "JOIN events e ON e.event_id = c.event_id WHERE c.room_id = m.room_id "
            + "AND c.type = 'm.room.join_rules' AND c.state_key = '' AND %s = 'public'))) ORDER BY d.user_id LIMIT ?";
    private static final String SQLITE_JOIN_RULE = "json_extract(e.pdu, '$.content.join_rule')";
    private static final String POSTGRES_JOIN_RULE = "(CAST(e.pdu AS jsonb) -> 'content' ->> 'join_rule')";

    private final Database db;
    private final String visible;

    public JdbcUserDirectoryStore(Database db) {
        this.db = db;
        this.visible = VISIBLE.formatted(db.dialect() == Dialect.POSTGRES ? POSTGRES_JOIN_RULE : SQLITE_JOIN_RULE);
    }

    @Override
    public void index(UserId userId, String displayname) {
        db.execute().insert(UPSERT, userId.value(), SearchWords.indexed(userId.value(), displayname));
    }

    @Override
    public int indexMissing() {
        List<String[]> missing = db.execute().query(MISSING)
                .map(row -> new String[] {Rows.string(row, "user_id"), Rows.string(row, "displayname")}).toList();
        missing.forEach(user -> index(UserId.of(user[0]), user[1]));
        return missing.size();
    }

    @Override
    public List<Entry> search(UserId searcher, String term, int limit) {
        List<String> words = SearchWords.of(term);
        if (words.isEmpty() || limit <= 0) {
            return List.of();
        }
        words = words.subList(0, Math.min(words.size(), SearchWords.MAX_TERM_WORDS));
        StringBuilder sql = new StringBuilder(SEARCH_HEAD);
        List<Object> params = new ArrayList<>();
        for (String word : words) {
            sql.append(WORD);
            params.add("% " + word + "%");
        }
        sql.append(visible);
        params.add(searcher.value());
        params.add(limit);
        return db.execute().query(sql.toString(), params.toArray()).map(row -> new Entry(
                UserId.of(Rows.string(row, "user_id")), Rows.string(row, "displayname"),
                Rows.string(row, "avatar_url"))).toList();
    }
}
