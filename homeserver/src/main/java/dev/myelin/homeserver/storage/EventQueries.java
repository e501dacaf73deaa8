package dev.myelin.homeserver.storage;

import java.util.List;

/**
 * SQL for event filters: exact values, or patterns where a filter value has {@code *} wildcards.
 * Matching is case-sensitive on both databases, like exact matches: PostgreSQL's {@code LIKE}
 * is, but SQLite's {@code LIKE} ignores ASCII case, so SQLite uses {@code GLOB} instead.
 */
final class EventQueries {
    private EventQueries() {
    }

    static void appendMatch(Dialect dialect, StringBuilder sql, List<Object> params, String column,
                            List<String> values, boolean negate) {
        if (values.isEmpty()) {
            return;
        }
        sql.append(negate ? "AND NOT (" : "AND (");
        boolean first = true;
        for (String value : values) {
            if (!first) {
                sql.append(" OR ");
            }
            first = false;
            if (!value.contains("*")) {
                sql.append(column).append(" = ?");
                params.add(value);
            } else if (dialect == Dialect.SQLITE) {
                sql.append(column).append(" GLOB ?");
                params.add(globPattern(value));
            } else {
                sql.append(column).append(" LIKE ? ESCAPE '\\'");
                params.add(likePattern(value));
            }
        }
        sql.append(") ");
    }

    /** A LIKE pattern: {@code *} becomes {@code %}; literal {@code %}, {@code _} and {@code \} are escaped. */
    static String likePattern(String filterValue) {
        return filterValue.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").replace('*', '%');
    }

    /** A GLOB pattern: {@code *} stays the wildcard; literal {@code ?} and {@code [} become classes. */
    static String globPattern(String filterValue) {
        StringBuilder pattern = new StringBuilder(filterValue.length() + 8);
        for (char c : filterValue.toCharArray()) {
            switch (c) {
                case '?' -> pattern.append("[?]");
                case '[' -> pattern.append("[[]");
                default -> pattern.append(c);
            }
        }
        return pattern.toString();
    }
}
