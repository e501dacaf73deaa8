package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.UserId;
import java.util.Optional;

/** {@link FilterStore} on the {@code filters} table. */
public final class JdbcFilterStore implements FilterStore {
    private static final String NEXT_ID = "SELECT COALESCE(MAX(filter_id), -1) + 1 AS next_id FROM filters WHERE user_id = ?";
    private static final String FIND_SAME = "SELECT filter_id FROM filters WHERE user_id = ? AND filter_json = ?";
    private static final String INSERT = "INSERT INTO filters (user_id, filter_id, filter_json) VALUES (?, ?, ?)";
    private static final String GET = "SELECT filter_json FROM filters WHERE user_id = ? AND filter_id = ?";

    private final Database db;

    public JdbcFilterStore(Database db) {
        this.db = db;
    }

    @Override
    public long create(UserId userId, String filterJson) {
        return db.inTransaction("create_filter", tx -> {
            var existing = tx.get(FIND_SAME, userId.value(), filterJson);
            if (existing.isPresent()) {
                return Rows.longValue(existing.get(), "filter_id");
            }
            long id = tx.get(NEXT_ID, userId.value()).map(row -> Rows.longValue(row, "next_id")).orElse(0L);
            tx.insert(INSERT, userId.value(), id, filterJson);
            return id;
        });
    }

    @Override
    public Optional<String> get(UserId userId, long filterId) {
        return db.execute().get(GET, userId.value(), filterId).map(row -> Rows.string(row, "filter_json"));
    }
}
