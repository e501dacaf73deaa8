package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.UserId;
import java.util.Optional;

/** {@link FilterStore} on the {@code filters} table. */
public final class JdbcFilterStore implements FilterStore {
    private static final String NEXT_ID = "SELECT COALESCE(MAX(filter_id), -1) + 1 AS next_id FROM filters WHERE user_id = ?";
    private static final String FIND_SAME = "SELECT filter_id FROM filters WHERE user_id = ? AND filter_json = ?";
    private static final String INSERT = "INSERT INTO filters (user_id, filter_id, filter_json) VALUES (?, ?, ?) "
            + "ON CONFLICT (user_id, filter_id) DO NOTHING";
    private static final String GET = "SELECT filter_json FROM filters WHERE user_id = ? AND filter_id = ?";
    private static final int MAX_ATTEMPTS = 100;

    private final Database db;

    public JdbcFilterStore(Database db) {
        this.db = db;
    }

    /**
     * SQLite runs write transactions one at a time; PostgreSQL (read committed) does not, so a
     * concurrent create by the same user can take the ID computed here first. The insert then
     * does nothing, and the next attempt sees the committed row and computes the following ID.
     */
    @Override
    public long create(UserId userId, String filterJson) {
        return db.inTransaction("create_filter", tx -> {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                var existing = tx.get(FIND_SAME, userId.value(), filterJson);
                if (existing.isPresent()) {
                    return Rows.longValue(existing.get(), "filter_id");
                }
                long id = tx.get(NEXT_ID, userId.value()).map(row -> Rows.longValue(row, "next_id")).orElse(0L);
                if (tx.insert(INSERT, userId.value(), id, filterJson) == 1) {
                    return id;
                }
            }
            throw new IllegalStateException("no free filter ID for " + userId + " after " + MAX_ATTEMPTS + " attempts");
        });
    }

    @Override
    public Optional<String> get(UserId userId, long filterId) {
        return db.execute().get(GET, userId.value(), filterId).map(row -> Rows.string(row, "filter_json"));
    }
}
