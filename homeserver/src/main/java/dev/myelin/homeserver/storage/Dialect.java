package dev.myelin.homeserver.storage;

/** The SQL databases Myelin runs on. Dialect differences stay inside the storage package. */
public enum Dialect {
    SQLITE("sqlite"),
    POSTGRES("postgres");

    private final String directory;

    Dialect(String directory) {
        this.directory = directory;
    }

    /** Folder of this dialect's migration scripts under {@code db/migrations/}. */
    public String directory() {
        return directory;
    }

    public static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRES;
        }
        throw new IllegalArgumentException("unsupported database URL: " + jdbcUrl);
    }
}
