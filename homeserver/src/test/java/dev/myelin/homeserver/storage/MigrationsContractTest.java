package dev.myelin.homeserver.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.federation.id.UserId;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link Migrations} applied to real databases: the schema is complete, and reapplying is a no-op. */
class MigrationsContractTest {
    private static final List<String> TABLES = List.of("users", "devices", "access_tokens", "filters",
            "account_data", "rooms", "events", "event_txn_ids", "state_groups",
            "state_group_entries", "current_state", "memberships", "room_aliases");

    @Nested
    class Sqlite extends Contract {
        Sqlite() {
            super(Backend.SQLITE);
        }
    }

    @Nested
    class Postgres extends Contract {
        Postgres() {
            super(Backend.POSTGRES);
        }
    }

    abstract static class Contract {
        private final Backend backend;

        Contract(Backend backend) {
            this.backend = backend;
        }

        private static List<String> applied(Database db) {
            return db.execute().query("SELECT version, name, applied_ts FROM schema_migrations ORDER BY version")
                    .map(row -> Rows.integer(row, "version") + " " + Rows.string(row, "name") + " "
                            + Rows.longValue(row, "applied_ts"))
                    .toList();
        }

        private static long count(Database db, String table) {
            return db.execute().get("SELECT COUNT(*) AS n FROM " + table).map(row -> Rows.longValue(row, "n"))
                    .orElseThrow();
        }

        @Test
        void freshDatabaseGetsEveryMigrationAndEveryTable() {
            try (Backend.OpenDatabase open = backend.open()) {
                List<String> applied = applied(open.db());
                assertEquals(Migrations.ALL.size(), applied.size());
                for (int i = 0; i < applied.size(); i++) {
                    String name = Migrations.ALL.get(i);
                    assertTrue(applied.get(i).startsWith(Integer.parseInt(name.substring(0, 3)) + " " + name + " "),
                            applied.get(i));
                }
                for (String table : TABLES) {
                    assertEquals(0L, count(open.db(), table), table);
                }
            }
        }

        @Test
        void openingTheSameDatabaseAgainAppliesNothingAndKeepsTheData() {
            String url = backend.freshUrl();
            UserId alice = UserId.of("@alice:example.org");
            List<String> first;
            try {
                try (Database db = Database.open(url, 2)) {
                    first = applied(db);
                    new JdbcAccountStore(db).createUser(alice, "hash", 1L, "Alice");
                    new Migrations(db).apply();
                    assertEquals(first, applied(db));
                }
                try (Database db = Database.open(url, 2)) {
                    assertEquals(first, applied(db));
                    assertTrue(new JdbcAccountStore(db).userExists(alice));
                    assertEquals(1L, count(db, "users"));
                }
            } finally {
                backend.dispose(url);
            }
        }
    }
}
