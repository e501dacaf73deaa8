package dev.myelin.homeserver.service.federation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.ServerName;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.storage.FederationOutbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends one destination's queued PDUs and EDUs, oldest first, in transactions of at most 50 PDUs
 * and 100 EDUs, one at a time. A failed transaction is retried with the same ID (so the
 * destination applies it once) after an exponential back-off with a cap; entries leave the
 * outbox only once the destination accepted the transaction that carried them.
 */
public final class DestinationQueue implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DestinationQueue.class.getName());
    static final int MAX_PDUS = 50;
    static final int MAX_EDUS = 100;

    /** How a transaction reaches the destination: {@code PUT /_matrix/federation/v1/send/{txnId}}. */
    @FunctionalInterface
    public interface Transport {
        void send(ServerName destination, String txnId, ObjectNode transaction);
    }

    /** Back-off after a failure: starts at {@code initial}, doubles, never exceeds {@code max}. */
    public record Backoff(Duration initial, Duration max) {
        public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(10));
    }

    private final ServerName self;
    private final ServerName destination;
    private final FederationOutbox outbox;
    private final Transport transport;
    private final Backoff backoff;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private boolean woken;
    private boolean retry;
    private volatile boolean closed;
    private final Thread sender;
    /** Outbox IDs can repeat after a restart; this start time keeps transaction IDs unique anyway. */
    private final long epoch = System.currentTimeMillis();

    public DestinationQueue(ServerName self, ServerName destination, FederationOutbox outbox, Transport transport,
                            Backoff backoff) {
        this.self = self;
        this.destination = destination;
        this.outbox = outbox;
        this.transport = transport;
        this.backoff = backoff;
        this.sender = Thread.ofVirtual().name("federation-sender-" + destination.value()).start(this::run);
    }

    /** Something was queued: send it, unless the destination is in back-off. */
    public void wake() {
        signal(false);
    }

    /** The destination is back: end the back-off now. */
    public void retryNow() {
        signal(true);
    }

    private void signal(boolean endBackoff) {
        lock.lock();
        try {
            woken = true;
            retry |= endBackoff;
            signal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        long delayMs = 0;
        while (!closed) {
            try {
                List<FederationOutbox.Entry> pdus = outbox.pending(destination, FederationOutbox.Kind.PDU, MAX_PDUS);
                List<FederationOutbox.Entry> edus = outbox.pending(destination, FederationOutbox.Kind.EDU, MAX_EDUS);
                if (pdus.isEmpty() && edus.isEmpty()) {
                    await(Long.MAX_VALUE, false);
                    continue;
                }
                send(pdus, edus);
                delayMs = 0;
            } catch (RuntimeException e) {
                delayMs = delayMs == 0 ? backoff.initial().toMillis() : Math.min(delayMs * 2, backoff.max().toMillis());
                LOG.log(Level.INFO, "sending to " + destination + " failed (" + e.getMessage() + "), retrying in "
                        + delayMs + " ms");
                LOG.log(Level.FINE, "sending to " + destination + " failed", e);
                await(delayMs, true);
            }
        }
    }

    private void send(List<FederationOutbox.Entry> pdus, List<FederationOutbox.Entry> edus) {
        ObjectNode txn = Json.object();
        txn.put("origin", self.value());
        txn.put("origin_server_ts", System.currentTimeMillis());
        ArrayNode pduArray = txn.putArray("pdus");
        ArrayNode eduArray = txn.putArray("edus");
        List<Long> ids = new ArrayList<>();
        for (FederationOutbox.Entry entry : pdus) {
            pduArray.add(Json.readObject(entry.payload()));
            ids.add(entry.id());
        }
        for (FederationOutbox.Entry entry : edus) {
            eduArray.add(Json.readObject(entry.payload()));
            ids.add(entry.id());
        }
        // The same entries give the same ID, so a retried transaction is recognised as one.
        String txnId = epoch + "-" + ids.stream().mapToLong(Long::longValue).min().orElseThrow() + "-"
                + ids.stream().mapToLong(Long::longValue).max().orElseThrow() + "-" + ids.size();
        transport.send(destination, txnId, txn);
        outbox.remove(destination, ids);
    }

    /** Waits for new work, or in back-off for its end or {@link #retryNow()}. */
    private void await(long millis, boolean backingOff) {
        lock.lock();
        try {
            long remaining = TimeUnit.MILLISECONDS.toNanos(Math.min(millis, Long.MAX_VALUE / 1_000_000));
            while (!(backingOff ? retry : woken) && !closed && remaining > 0) {
                remaining = signal.awaitNanos(remaining);
            }
            woken = false;
            retry = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        signal(true);
        sender.interrupt();
    }
}
