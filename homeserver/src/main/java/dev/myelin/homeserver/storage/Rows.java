package dev.myelin.homeserver.storage;

import io.helidon.dbclient.DbRow;

/**
 * Reads typed columns from rows the same way on both databases. SQLite hands back small
 * integers as {@code Integer} and PostgreSQL {@code BIGINT} as {@code Long}, so numbers are
 * read as {@link Number}.
 */
public final class Rows {
    private Rows() {
    }

    /** A column's value, null for SQL NULL (DbColumn.get() refuses nulls). */
    private static Object raw(DbRow row, String column) {
        return row.column(column).get(Object.class);
    }

    public static long longValue(DbRow row, String column) {
        Object value = raw(row, column);
        if (value == null) {
            throw new IllegalStateException("column " + column + " is null");
        }
        return ((Number) value).longValue();
    }

    public static Long nullableLong(DbRow row, String column) {
        Object value = raw(row, column);
        return value == null ? null : ((Number) value).longValue();
    }

    public static double doubleValue(DbRow row, String column) {
        Object value = raw(row, column);
        if (value == null) {
            throw new IllegalStateException("column " + column + " is null");
        }
        return ((Number) value).doubleValue();
    }

    public static int integer(DbRow row, String column) {
        return (int) longValue(row, column);
    }

    public static String string(DbRow row, String column) {
        Object value = raw(row, column);
        return value == null ? null : value.toString();
    }

    public static boolean bool(DbRow row, String column) {
        Object value = raw(row, column);
        if (value instanceof Boolean b) {
            return b;
        }
        return value != null && ((Number) value).intValue() != 0;
    }
}
