package dev.myelin.homeserver.storage;

import dev.myelin.homeserver.testing.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** The databases every store contract runs against, each handing out fresh, empty databases. */
enum Backend {
    SQLITE {
        @Override
        String freshUrl() {
            return TestDatabases.freshSqlite(TestDatabases.tempDir("myelin-store-test"));
        }

        @Override
        void dispose(String url) {
            Path file = Path.of(url.substring("jdbc:sqlite:".length()));
            deleteTree(file.getParent());
        }
    },
    POSTGRES {
        @Override
        String freshUrl() {
            return TestDatabases.freshPostgres();
        }

        @Override
        void dispose(String url) {
            TestDatabases.dropPostgres(url);
        }
    },
    /**
     * PostgreSQL with a natural-language default collation (ICU en-US), as a cluster initialised
     * in an English locale has: text sorts ignoring case and punctuation first, unlike SQLite and
     * the "C" collation. For the contracts whose results are ordered by text.
     */
    POSTGRES_ENGLISH_COLLATION {
        @Override
        String freshUrl() {
            String name = "myelin_test_icu_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Connection c = DriverManager.getConnection(TestDatabases.POSTGRES_ADMIN_URL);
                 Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name + " TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'");
            } catch (SQLException e) {
                Assumptions.abort("PostgreSQL cannot create an ICU en-US database here: " + e.getMessage());
            }
            String admin = TestDatabases.POSTGRES_ADMIN_URL;
            int query = admin.indexOf('?');
            String base = query < 0 ? admin : admin.substring(0, query);
            return base.substring(0, base.lastIndexOf('/') + 1) + name + (query < 0 ? "" : admin.substring(query));
        }

        @Override
        void dispose(String url) {
            TestDatabases.dropPostgres(url);
        }
    };

    /** The JDBC URL of a new, empty database (no schema yet). */
    abstract String freshUrl();

    /** Removes a database made by {@link #freshUrl()}; it must be closed first. */
    abstract void dispose(String url);

    /** A fresh database with the schema applied; closing it also disposes of it. */
    OpenDatabase open() {
        String url = freshUrl();
        return new OpenDatabase(this, url, Database.open(url, 4));
    }

    /** An open test database that drops itself on close. */
    record OpenDatabase(Backend backend, String url, Database db) implements AutoCloseable {
        @Override
        public void close() {
            db.close();
            backend.dispose(url);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
