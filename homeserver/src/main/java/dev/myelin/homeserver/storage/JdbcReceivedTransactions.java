package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.ServerName;
import java.util.Optional;

/** {@link ReceivedTransactions} on the {@code federation_received_txns} table. */
public final class JdbcReceivedTransactions implements ReceivedTransactions {
    private static final String GET = "SELECT response FROM federation_received_txns WHERE origin = ? AND txn_id = ?";
    private static final String PUT = "INSERT INTO federation_received_txns (origin, txn_id, response, received_ts) "
            + "VALUES (?, ?, ?, ?) ON CONFLICT (origin, txn_id) DO NOTHING";

    private final Database db;

    public JdbcReceivedTransactions(Database db) {
        this.db = db;
    }

    @Override
    public Optional<String> response(ServerName origin, String txnId) {
        return db.execute().get(GET, origin.value(), txnId).map(row -> Rows.string(row, "response"));
    }

    @Override
    public void record(ServerName origin, String txnId, String response, long receivedTs) {
        db.execute().insert(PUT, origin.value(), txnId, response, receivedTs);
    }
}
