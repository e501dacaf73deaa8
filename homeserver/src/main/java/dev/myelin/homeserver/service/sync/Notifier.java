package dev.myelin.homeserver.service.sync;

import dev.myelin.federation.id.UserId;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes parked {@code /sync} long-polls. Each user has a change counter; a long-poll remembers
 * the counter it saw and sleeps until it moves or the timeout passes. Parked requests run on
 * virtual threads, so a sleeping one costs a little memory and no platform thread.
 */
public final class Notifier {
    private static final class UserSignal {
        final ReentrantLock lock = new ReentrantLock();
        final Condition changed = lock.newCondition();
        long version;
    }

    private final ConcurrentHashMap<UserId, UserSignal> signals = new ConcurrentHashMap<>();

    /** The user's change counter, to pass to {@link #await}. */
    public long version(UserId user) {
        UserSignal signal = signals.computeIfAbsent(user, u -> new UserSignal());
        signal.lock.lock();
        try {
            return signal.version;
        } finally {
            signal.lock.unlock();
        }
    }

    /** Something that concerns these users happened. */
    public void notify(Collection<UserId> users) {
        for (UserId user : users) {
            UserSignal signal = signals.get(user);
            if (signal == null) {
                continue;
            }
            signal.lock.lock();
            try {
                signal.version++;
                signal.changed.signalAll();
            } finally {
                signal.lock.unlock();
            }
        }
    }

    /** Sleeps until the user's counter differs from {@code seen} or the timeout passes. */
    public void await(UserId user, long seen, long timeoutMs) throws InterruptedException {
        UserSignal signal = signals.computeIfAbsent(user, u -> new UserSignal());
        long remaining = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        signal.lock.lock();
        try {
            while (signal.version == seen && remaining > 0) {
                remaining = signal.changed.awaitNanos(remaining);
            }
        } finally {
            signal.lock.unlock();
        }
    }
}
