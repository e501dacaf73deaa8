package dev.myelin.homeserver.service.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.federation.id.ServerName;
import dev.myelin.homeserver.storage.FederationOutbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The per-destination sender against an in-memory outbox and a transport the test controls. */
class DestinationQueueTest {
    private static final ServerName SELF = new ServerName("here.example");
    private static final ServerName THERE = new ServerName("there.example");

    /** An outbox in memory with the store's contract: ordered by ID, removed on acknowledgement. */
    static final class MemoryOutbox implements FederationOutbox {
        final List<ServerName> destinations = new CopyOnWriteArrayList<>();
        final List<Entry> entries = new CopyOnWriteArrayList<>();
        private long next;

        @Override
        public synchronized void append(Collection<ServerName> targets, Kind kind, String payload) {
            for (ServerName target : targets) {
                destinations.add(target);
                entries.add(new Entry(++next, kind, payload));
            }
        }

        @Override
        public List<Entry> pending(ServerName destination, Kind kind, int limit) {
            return entries.stream().filter(e -> e.kind() == kind).limit(limit).toList();
        }

        @Override
        public void remove(ServerName destination, Collection<Long> ids) {
            entries.removeIf(e -> ids.contains(e.id()));
        }

        @Override
        public List<ServerName> destinations() {
            return List.copyOf(destinations);
        }
    }

    record Sent(String txnId, int pdus, int edus, long atNanos) {
    }

    @Test
    void sendsInTransactionsOfAtMost50PdusAnd100EdusAndEmptiesTheOutbox() throws Exception {
        MemoryOutbox outbox = new MemoryOutbox();
        for (int i = 0; i < 120; i++) {
            outbox.append(List.of(THERE), FederationOutbox.Kind.PDU, "{\"n\":" + i + "}");
        }
        for (int i = 0; i < 150; i++) {
            outbox.append(List.of(THERE), FederationOutbox.Kind.EDU, "{\"edu_type\":\"m.typing\"}");
        }
        LinkedBlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
        List<Integer> order = new ArrayList<>();
        try (DestinationQueue queue = new DestinationQueue(SELF, THERE, outbox, (destination, txnId, txn) -> {
            txn.path("pdus").forEach(p -> order.add(p.path("n").asInt()));
            sent.add(new Sent(txnId, txn.path("pdus").size(), txn.path("edus").size(), System.nanoTime()));
        }, DestinationQueue.Backoff.DEFAULT)) {
            queue.wake();
            List<Sent> transactions = new ArrayList<>();
            while (transactions.stream().mapToInt(Sent::pdus).sum() < 120
                    || transactions.stream().mapToInt(Sent::edus).sum() < 150) {
                Sent next = sent.poll(10, TimeUnit.SECONDS);
                assertTrue(next != null, "transactions stopped: " + transactions);
                transactions.add(next);
            }
            assertTrue(transactions.stream().allMatch(t -> t.pdus() <= 50 && t.edus() <= 100), transactions.toString());
            assertEquals(3, transactions.stream().filter(t -> t.pdus() > 0).count());
            for (int i = 0; i < 100 && !outbox.entries.isEmpty(); i++) {
                Thread.sleep(10); // the last transaction's entries leave once the transport returned
            }
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            expected.add(i);
        }
        assertEquals(expected, order);
        assertEquals(List.of(), outbox.entries);
    }

    @Test
    void aFailedTransactionIsRetriedWithTheSameIdAfterAGrowingBackoffAndKeptUntilAccepted() throws Exception {
        MemoryOutbox outbox = new MemoryOutbox();
        outbox.append(List.of(THERE), FederationOutbox.Kind.PDU, "{\"n\":1}");
        LinkedBlockingQueue<Sent> attempts = new LinkedBlockingQueue<>();
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        var backoff = new DestinationQueue.Backoff(Duration.ofMillis(100), Duration.ofMillis(300));
        try (DestinationQueue queue = new DestinationQueue(SELF, THERE, outbox, (destination, txnId, txn) -> {
            attempts.add(new Sent(txnId, txn.path("pdus").size(), 0, System.nanoTime()));
            if (count.incrementAndGet() < 5) {
                throw new IllegalStateException("down");
            }
        }, backoff)) {
            queue.wake();
            List<Sent> seen = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Sent attempt = attempts.poll(10, TimeUnit.SECONDS);
                assertTrue(attempt != null, "no retry after " + seen);
                seen.add(attempt);
            }
            assertTrue(seen.stream().allMatch(s -> s.txnId().equals(seen.get(0).txnId())), seen.toString());
            long firstGap = seen.get(1).atNanos() - seen.get(0).atNanos();
            long secondGap = seen.get(2).atNanos() - seen.get(1).atNanos();
            long lastGap = seen.get(4).atNanos() - seen.get(3).atNanos();
            assertTrue(firstGap >= TimeUnit.MILLISECONDS.toNanos(90), "first back-off " + firstGap);
            assertTrue(secondGap >= TimeUnit.MILLISECONDS.toNanos(190), "doubled back-off " + secondGap);
            assertTrue(lastGap < TimeUnit.MILLISECONDS.toNanos(1000), "capped back-off " + lastGap);
            // Accepted at the fifth attempt: the entry leaves the outbox.
            for (int i = 0; i < 100 && !outbox.entries.isEmpty(); i++) {
                Thread.sleep(10);
            }
            assertEquals(List.of(), outbox.entries);
        }
    }

    @Test
    void newWorkDoesNotCutABackoffShortButRetryNowDoes() throws Exception {
        MemoryOutbox outbox = new MemoryOutbox();
        outbox.append(List.of(THERE), FederationOutbox.Kind.PDU, "{\"n\":1}");
        LinkedBlockingQueue<Long> attempts = new LinkedBlockingQueue<>();
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        var backoff = new DestinationQueue.Backoff(Duration.ofSeconds(30), Duration.ofSeconds(30));
        try (DestinationQueue queue = new DestinationQueue(SELF, THERE, outbox, (destination, txnId, txn) -> {
            attempts.add(System.nanoTime());
            if (count.incrementAndGet() == 1) {
                throw new IllegalStateException("down");
            }
        }, backoff)) {
            queue.wake();
            assertTrue(attempts.poll(10, TimeUnit.SECONDS) != null);
            outbox.append(List.of(THERE), FederationOutbox.Kind.PDU, "{\"n\":2}");
            queue.wake();
            assertEquals(null, attempts.poll(300, TimeUnit.MILLISECONDS), "new work must wait for the back-off");
            queue.retryNow();
            assertTrue(attempts.poll(10, TimeUnit.SECONDS) != null, "retryNow ends the back-off");
        }
    }

}
