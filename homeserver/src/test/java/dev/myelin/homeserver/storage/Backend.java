package dev.myelin.homeserver.storage;

import dev.myelin.homeserver.testing.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

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
