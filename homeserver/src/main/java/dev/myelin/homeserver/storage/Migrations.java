package dev.myelin.homeserver.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Applies the numbered schema migrations that the database has not recorded yet, each in its own
 * transaction. A script lives in {@code db/migrations/common/} unless the dialects need their own.
 */
final class Migrations {
    private static final Logger LOG = Logger.getLogger(Migrations.class.getName());

    /** Every migration in order. A new schema change is a new file and a new line here. */
    static final List<String> ALL = List.of(
            "001_initial_schema",
            "002_receipts_and_presence",
            "003_push_notifications",
            "004_pushers",
            "005_relations",
            "006_directory",
            "007_search",
            "008_federation",
            "009_to_device");

    private final Database database;

    Migrations(Database database) {
        this.database = database;
    }

    void apply() {
        database.execute().dml("CREATE TABLE IF NOT EXISTS schema_migrations ("
                + "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_ts BIGINT NOT NULL)");
        Set<Integer> applied = database.execute().query("SELECT version FROM schema_migrations")
                .map(row -> Rows.integer(row, "version"))
                .collect(Collectors.toSet());
        for (String name : ALL) {
            int version = Integer.parseInt(name.substring(0, name.indexOf('_')));
            if (applied.contains(version)) {
                continue;
            }
            List<String> statements = statements(script(database.dialect(), name));
            database.inTransaction("migration_" + name, tx -> {
                statements.forEach(tx::dml);
                tx.dml("INSERT INTO schema_migrations (version, name, applied_ts) VALUES (?, ?, ?)",
                        version, name, System.currentTimeMillis());
            });
            LOG.info("Applied schema migration " + name);
        }
    }

    /**
     * A migration's script for a dialect: {@code db/migrations/<dialect>/<name>.sql} where the
     * dialects differ, else the shared {@code db/migrations/common/<name>.sql}.
     */
    static String script(Dialect dialect, String name) {
        for (String folder : List.of(dialect.directory(), "common")) {
            String resource = "/db/migrations/" + folder + "/" + name + ".sql";
            try (InputStream in = Migrations.class.getResourceAsStream(resource)) {
                if (in != null) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("missing migration " + name + " for " + dialect);
    }

    /**
     * Splits a script on semicolons that end a line. Comments run from {@code --} (outside
     * single-quoted strings) to the end of the line and are dropped, so a semicolon followed by
     * a comment still ends its statement and a semicolon inside a comment ends nothing.
     */
    static List<String> statements(String script) {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String code = withoutComment(line).stripTrailing();
            if (code.isBlank()) {
                continue;
            }
            current.append(code).append('\n');
            if (code.endsWith(";")) {
                String sql = current.toString().strip();
                result.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            result.add(current.toString().strip());
        }
        return result;
    }

    /** The line up to a {@code --} comment that is not inside a single-quoted string. */
    private static String withoutComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '-' && i + 1 < line.length() && line.charAt(i + 1) == '-') {
                return line.substring(0, i);
            }
        }
        return line;
    }

}
