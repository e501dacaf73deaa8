package dev.myelin.homeserver.service.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.federation.id.UserId;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link Notifier}: a long-poll sleeps until its user is notified or its timeout passes. */
class NotifierTest {
    private static final UserId ALICE = UserId.of("@alice:example.org");
    private static final UserId BOB = UserId.of("@bob:example.org");

    private final Notifier notifier = new Notifier();

    @Test
    void notifyMovesOnlyTheNotifiedUsersCounter() {
        long alice = notifier.version(ALICE);
        long bob = notifier.version(BOB);
        notifier.notify(List.of(ALICE));
        assertEquals(alice + 1, notifier.version(ALICE));
        assertEquals(bob, notifier.version(BOB));
    }

    @Test
    void awaitTimesOutWhenNothingHappens() throws InterruptedException {
        long seen = notifier.version(ALICE);
        long start = System.nanoTime();
        notifier.await(ALICE, seen, 150);
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(elapsedMs >= 140, "returned after " + elapsedMs + " ms, before the timeout");
        assertTrue(elapsedMs < 5000, "took " + elapsedMs + " ms");
    }

    @Test
    void awaitReturnsAtOnceWhenTheCounterAlreadyMoved() throws InterruptedException {
        long seen = notifier.version(ALICE);
        notifier.notify(List.of(ALICE));
        long start = System.nanoTime();
        notifier.await(ALICE, seen, 30_000);
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 5000);
    }

    @Test
    void zeroOrNegativeTimeoutDoesNotWait() throws InterruptedException {
        long seen = notifier.version(ALICE);
        long start = System.nanoTime();
        notifier.await(ALICE, seen, 0);
        notifier.await(ALICE, seen, -5);
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 1000);
    }

    @Test
    void notifyWakesAParkedAwait() throws InterruptedException {
        long seen = notifier.version(ALICE);
        CountDownLatch parked = new CountDownLatch(1);
        CountDownLatch woke = new CountDownLatch(1);
        AtomicLong waitedMs = new AtomicLong();
        Thread poller = Thread.ofVirtual().start(() -> {
            parked.countDown();
            long start = System.nanoTime();
            try {
                notifier.await(ALICE, seen, 30_000);
            } catch (InterruptedException e) {
                return;
            }
            waitedMs.set(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            woke.countDown();
        });
        assertTrue(parked.await(5, TimeUnit.SECONDS));
        // Whether the poller is already inside await or not, the moved counter ends its wait.
        notifier.notify(List.of(ALICE));
        assertTrue(woke.await(5, TimeUnit.SECONDS), "await did not return after notify");
        assertTrue(waitedMs.get() < 5000, "waited " + waitedMs.get() + " ms");
        poller.join();
    }

    @Test
    void notifyingSomeoneElseDoesNotWake() throws InterruptedException {
        long seen = notifier.version(ALICE);
        notifier.version(BOB);
        CountDownLatch woke = new CountDownLatch(1);
        Thread poller = Thread.ofVirtual().start(() -> {
            try {
                notifier.await(ALICE, seen, 300);
            } catch (InterruptedException ignored) {
                // the test ends it only by timing out
            }
            woke.countDown();
        });
        notifier.notify(List.of(BOB));
        assertFalse(woke.await(100, TimeUnit.MILLISECONDS), "woken by another user's notification");
        assertTrue(woke.await(5, TimeUnit.SECONDS), "await never timed out");
        poller.join();
        assertEquals(seen, notifier.version(ALICE));
    }

    @Test
    void interruptEndsTheWait() throws InterruptedException {
        long seen = notifier.version(ALICE);
        CountDownLatch interrupted = new CountDownLatch(1);
        Thread poller = Thread.ofVirtual().start(() -> {
            try {
                notifier.await(ALICE, seen, 30_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        poller.interrupt();
        assertTrue(interrupted.await(5, TimeUnit.SECONDS));
    }
}
