package dev.myelin.homeserver.service.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.ServerName;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.storage.ReceivedTransactions;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code PUT /_matrix/federation/v1/send/{txnId}}: applies a transaction's PDUs (each
 * separately: one's failure is reported in its entry and never fails the transaction) and EDUs,
 * once per origin and transaction ID; a retried transaction gets the first response back.
 * Transactions from one origin are applied one at a time, in the order they arrive.
 */
public final class TransactionReceiver {
    private static final java.util.logging.Logger LOG =
            java.util.logging.Logger.getLogger(TransactionReceiver.class.getName());
    private static final int MAX_PDUS = 50;
    private static final int MAX_EDUS = 100;

    private final PduReceiver pdus;
    private final EduReceiver edus;
    private final ReceivedTransactions received;
    private final FederationSender sender;
    private final ConcurrentHashMap<ServerName, ReentrantLock> origins = new ConcurrentHashMap<>();

    public TransactionReceiver(PduReceiver pdus, EduReceiver edus, ReceivedTransactions received,
                               FederationSender sender) {
        this.pdus = pdus;
        this.edus = edus;
        this.received = received;
        this.sender = sender;
    }

    public JsonNode receive(ServerName origin, String txnId, ObjectNode body) {
        JsonNode pduList = body.path("pdus");
        JsonNode eduList = body.path("edus");
        if (!pduList.isArray() || (!eduList.isMissingNode() && !eduList.isArray())) {
            throw MatrixException.badJson("A transaction needs a pdus array and, if any, an edus array.");
        }
        if (pduList.size() > MAX_PDUS || eduList.size() > MAX_EDUS) {
            throw MatrixException.badJson("A transaction carries at most 50 PDUs and 100 EDUs.");
        }
        sender.heardFrom(origin);
        ReentrantLock lock = origins.computeIfAbsent(origin, o -> new ReentrantLock());
        lock.lock();
        try {
            var earlier = received.response(origin, txnId);
            if (earlier.isPresent()) {
                return Json.readTree(earlier.get());
            }
            ObjectNode response = Json.object();
            ObjectNode results = response.putObject("pdus");
            for (JsonNode pdu : pduList) {
                PduReceiver.Result result = pdus.receive(origin, pdu);
                ObjectNode entry = results.putObject(result.eventId());
                result.error().ifPresent(error -> {
                    entry.put("error", error);
                    LOG.info("PDU " + result.eventId() + " from " + origin + " not accepted: " + error);
                });
            }
            for (JsonNode edu : eduList) {
                edus.receive(origin, edu);
            }
            received.record(origin, txnId, Json.writeString(response), System.currentTimeMillis());
            return response;
        } finally {
            lock.unlock();
        }
    }
}
