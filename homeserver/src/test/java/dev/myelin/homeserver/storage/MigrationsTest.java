package dev.myelin.homeserver.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** How {@link Migrations} splits scripts into statements, and that both dialects' scripts agree. */
class MigrationsTest {

    @Test
    void splitsOnSemicolonsThatEndALine() {
        assertEquals(List.of("CREATE TABLE a (x INT)", "CREATE TABLE b (y INT)"),
                Migrations.statements("CREATE TABLE a (x INT);\nCREATE TABLE b (y INT);\n"));
    }

    @Test
    void keepsMultiLineStatementsWhole() {
        assertEquals(List.of("CREATE TABLE a (\n    x INT,\n    y TEXT\n)", "CREATE INDEX a_x ON a (x)"),
                Migrations.statements("CREATE TABLE a (\n    x INT,\n    y TEXT\n);\nCREATE INDEX a_x ON a (x);"));
    }

    @Test
    void skipsCommentLinesAndBlankLines() {
        String script = "-- Accounts\n\nCREATE TABLE a (x INT);\n   -- indented comment;\n\n\nCREATE TABLE b (y INT);\n-- the end\n";
        assertEquals(List.of("CREATE TABLE a (x INT)", "CREATE TABLE b (y INT)"), Migrations.statements(script));
    }

    @Test
    void semicolonInsideALineDoesNotSplit() {
        assertEquals(List.of("INSERT INTO t VALUES ('a;b', 'c')"),
                Migrations.statements("INSERT INTO t VALUES ('a;b', 'c');"));
    }

    @Test
    void lastStatementNeedsNoSemicolon() {
        assertEquals(List.of("CREATE TABLE a (x INT)", "CREATE TABLE b (\n  y INT\n)"),
                Migrations.statements("CREATE TABLE a (x INT);\nCREATE TABLE b (\n  y INT\n)\n"));
    }

    @Test
    void emptyOrCommentOnlyScriptHasNoStatements() {
        assertEquals(List.of(), Migrations.statements(""));
        assertEquals(List.of(), Migrations.statements("-- nothing yet\n\n"));
    }

    @Test
    void windowsLineEndingsSplitTheSame() {
        assertEquals(List.of("CREATE TABLE a (\n  x INT\n)", "CREATE TABLE b (y INT)"),
                Migrations.statements("CREATE TABLE a (\r\n  x INT\r\n);\r\nCREATE TABLE b (y INT);\r\n"));
    }

    @Test
    void trailingCommentAfterTheSemicolonStillEndsTheStatement() {
        // SQLite's JDBC driver runs only the first statement of a string and ignores the rest,
        // so a statement that swallowed the next one would silently drop it there.
        assertEquals(List.of("CREATE TABLE a (x INT)", "CREATE TABLE b (y INT)"),
                Migrations.statements("CREATE TABLE a (x INT); -- first\nCREATE TABLE b (y INT); -- second\n"));
    }

    @Test
    void commentsAfterCodeAreDroppedButNotInsideStrings() {
        assertEquals(List.of("CREATE TABLE a (\n    x INT,\n    y TEXT DEFAULT '--;'\n)"),
                Migrations.statements("CREATE TABLE a (\n    x INT, -- the x;\n    y TEXT DEFAULT '--;' -- the y\n);"));
    }

    @Test
    void everyMigrationExistsForBothDialectsWithTheSameTablesAndIndexes() {
        for (String name : Migrations.ALL) {
            Set<String> sqlite = objects(Migrations.script(Dialect.SQLITE, name));
            Set<String> postgres = objects(Migrations.script(Dialect.POSTGRES, name));
            assertFalse(sqlite.isEmpty(), name);
            assertEquals(sqlite, postgres, name);
        }
    }

    private static Set<String> objects(String script) {
        Pattern created = Pattern.compile("^CREATE (?:UNIQUE |VIRTUAL )?(TABLE|INDEX) (?:IF NOT EXISTS )?(\\w+)",
                Pattern.CASE_INSENSITIVE);
        Pattern fullTextSearch = Pattern.compile("USING (GIN|fts5)", Pattern.CASE_INSENSITIVE);
        Set<String> names = new TreeSet<>();
        for (String statement : Migrations.statements(script)) {
            Matcher m = created.matcher(statement);
            if (fullTextSearch.matcher(statement).find() && m.find()) {
                names.add("SEARCH " + m.group(2)); // a GIN index on PostgreSQL, an FTS5 table on SQLite
            } else if (m.find()) {
                names.add(m.group(1).toUpperCase() + " " + m.group(2));
            }
        }
        return names;
    }
}
