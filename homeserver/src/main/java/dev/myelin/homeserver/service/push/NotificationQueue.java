package dev.myelin.homeserver.service.push;

import dev.myelin.homeserver.storage.NotificationStore;
import dev.myelin.homeserver.storage.NotificationStore.EventNotification;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes notifications behind the send path: events hand theirs over after commit, and one
 * background thread stores whatever has gathered in one transaction, at most every
 * {@link #LINGER_MS} milliseconds. On SQLite the write runs under the room event stream's lock
 * (passed in as {@code exclusive}) so that it never makes an event's transaction wait for the
 * database lock; on PostgreSQL it runs beside them. Readers that need every notification stored
 * call {@link #flush()}.
 */
public final class NotificationQueue implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NotificationQueue.class.getName());
    static final long LINGER_MS = 100;
    private static final int MAX_BATCH = 2000;

    private final NotificationStore store;
    private final Consumer<Runnable> exclusive;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition added = lock.newCondition();
    private final Condition written = lock.newCondition();
    private final Thread writer;
    private List<EventNotification> pending = new ArrayList<>();
    private long addedCount;
    private long writtenCount;
    private boolean urgent;
    private boolean closed;

    public NotificationQueue(NotificationStore store, Consumer<Runnable> exclusive) {
        this.store = store;
        this.exclusive = exclusive;
        this.writer = Thread.ofPlatform().name("notification-writer").daemon().start(this::run);
    }

    void add(EventNotification notification) {
        lock.lock();
        try {
            pending.add(notification);
            addedCount++;
            if (pending.size() == 1 || pending.size() >= MAX_BATCH) {
                added.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits until every notification handed over before this call is stored. */
    public void flush() {
        lock.lock();
        try {
            long target = addedCount;
            urgent = true;
            added.signal();
            while (writtenCount < target && writer.isAlive()) {
                written.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (true) {
            List<EventNotification> batch;
            lock.lock();
            try {
                while (pending.isEmpty() && !closed) {
                    added.awaitUninterruptibly();
                }
                if (pending.isEmpty()) {
                    return;
                }
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MS);
                long left;
                while (!urgent && !closed && pending.size() < MAX_BATCH && (left = deadline - System.nanoTime()) > 0) {
                    try {
                        added.awaitNanos(left);
                    } catch (InterruptedException e) {
                        break;
                    }
                }
                batch = pending;
                pending = new ArrayList<>();
                urgent = false;
            } finally {
                lock.unlock();
            }
            try {
                exclusive.accept(() -> store.add(batch));
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "could not store " + batch.size() + " notifications", e);
            }
            lock.lock();
            try {
                writtenCount += batch.size();
                written.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Stores what is pending and stops the writer. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            added.signal();
        } finally {
            lock.unlock();
        }
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
