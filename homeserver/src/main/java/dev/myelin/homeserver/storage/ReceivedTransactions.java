package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.ServerName;
import java.util.Optional;

/** Transactions received from other servers, so that a retried one is applied once. */
public interface ReceivedTransactions {
    /** The response already given to this origin's transaction, if it was processed. */
    Optional<String> response(ServerName origin, String txnId);

    /** Records a processed transaction and its response. */
    void record(ServerName origin, String txnId, String response, long receivedTs);
}
