package dev.myelin.homeserver.storage;

import java.util.List;

/** SQL for event filters: exact values, or patterns where a filter value has {@code *} wildcards. */
final class EventQueries {
    private EventQueries() {
    }

    static void appendMatch(StringBuilder sql, List<Object> params, String column, List<String> values, boolean negate) {
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
            if (value.contains("*")) {
                sql.append(column).append(" LIKE ? ESCAPE '\\'");
                params.add(escapeLike(value).replace('*', '%'));
            } else {
                sql.append(column).append(" = ?");
                params.add(value);
            }
        }
        sql.append(") ");
    }

    private static String escapeLike(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
