package dev.myelin.homeserver.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Fresh databases for tests: a SQLite file in a temporary directory, or a new PostgreSQL
 * database on the server named by {@code MYELIN_TEST_DATABASE_URL} (default: the local server).
 */
public final class TestDatabases {
    public static final String POSTGRES_ADMIN_URL = System.getenv().getOrDefault("MYELIN_TEST_DATABASE_URL",
            "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");

    private TestDatabases() {
    }

    public static String freshSqlite(Path dir) {
        return "jdbc:sqlite:" + dir.resolve("myelin.db");
    }

    /** Creates an empty PostgreSQL database and returns its URL. */
    public static String freshPostgres() {
        String name = "myelin_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(POSTGRES_ADMIN_URL); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is needed for this test at " + POSTGRES_ADMIN_URL
                    + " (set MYELIN_TEST_DATABASE_URL): " + e.getMessage(), e);
        }
        return withDatabase(POSTGRES_ADMIN_URL, name);
    }

    /** Drops a database made by {@link #freshPostgres()}. */
    public static void dropPostgres(String url) {
        String name = url.substring(url.lastIndexOf('/') + 1).split("\\?")[0];
        try (Connection c = DriverManager.getConnection(POSTGRES_ADMIN_URL); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            // leaving a test database behind is not worth failing a test for
        }
    }

    static String withDatabase(String url, String database) {
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        String params = query < 0 ? "" : url.substring(query);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + params;
    }

    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
