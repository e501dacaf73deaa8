package dev.myelin.homeserver.storage;

import io.helidon.dbclient.DbExecute;
import java.util.ArrayList;
import java.util.List;

/**
 * Inserts many rows with few statements: {@code INSERT ... VALUES (?, ?), (?, ?), ... [tail]}, a
 * few hundred rows each, so that storing a joined room's thousands of state entries costs a
 * handful of round trips rather than one per row.
 */
final class MultiRowInsert {
    /** Rows per statement: well below both databases' limits on bound parameters. */
    private static final int ROWS_PER_STATEMENT = 500;

    private MultiRowInsert() {
    }

    /**
     * @param head "INSERT INTO table (a, b)"
     * @param tail what follows the values, e.g. "ON CONFLICT (a) DO NOTHING", or ""
     */
    static void insert(DbExecute tx, String head, String tail, List<Object[]> rows) {
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
            List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
            StringBuilder sql = new StringBuilder(head).append(" VALUES ");
            List<Object> params = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                Object[] row = chunk.get(i);
                sql.append(i == 0 ? "(" : ", (");
                for (int c = 0; c < row.length; c++) {
                    sql.append(c == 0 ? "?" : ", ?");
                    params.add(row[c]);
                }
                sql.append(')');
            }
            if (!tail.isEmpty()) {
                sql.append(' ').append(tail);
            }
            tx.insert(sql.toString(), params.toArray());
        }
    }
}
