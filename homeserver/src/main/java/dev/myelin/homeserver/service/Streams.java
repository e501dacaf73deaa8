package dev.myelin.homeserver.service;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;

/**
 * The positions of the streams a client syncs. On each stream a position is allocated,
 * committed and published under one lock, so every position at or below {@link Stream#current()}
 * is durable and no reader ever skips one.
 */
public final class Streams {
    /** One stream: the last published position and the writer lock. */
    public static final class Stream {
        private final ReentrantLock lock = new ReentrantLock();
        private final AtomicLong published;

        Stream(long start) {
            this.published = new AtomicLong(start);
        }

        public long current() {
            return published.get();
        }

        /** Runs {@code work} under the writer lock without taking a position: no write of this stream runs meanwhile. */
        public void exclusive(Runnable work) {
            lock.lock();
            try {
                work.run();
            } finally {
                lock.unlock();
            }
        }

        /** Runs {@code persist} with the next position and publishes it once {@code persist} returns. */
        public <T> T write(LongFunction<T> persist) {
            lock.lock();
            try {
                long position = published.get() + 1;
                T result = persist.apply(position);
                published.set(position);
                return result;
            } finally {
                lock.unlock();
            }
        }
    }

    private final Stream roomEvents;
    private final Stream accountData;
    private final AtomicLong stateGroups;
    private final Stream receipts;
    private final Stream typing = new Stream(0);
    private final Stream presence;
    private final Stream toDevice;

    public Streams(long roomEvents, long accountData, long stateGroups) {
        this(roomEvents, accountData, stateGroups, 0, 0);
    }

    /** The typing stream is held in memory and always starts at zero. */
    public Streams(long roomEvents, long accountData, long stateGroups, long receipts, long presence) {
        this(roomEvents, accountData, stateGroups, receipts, presence, 0);
    }

    public Streams(long roomEvents, long accountData, long stateGroups, long receipts, long presence, long toDevice) {
        this.toDevice = new Stream(toDevice);
        this.roomEvents = new Stream(roomEvents);
        this.accountData = new Stream(accountData);
        this.stateGroups = new AtomicLong(stateGroups);
        this.receipts = new Stream(receipts);
        this.presence = new Stream(presence);
    }

    public Stream roomEvents() {
        return roomEvents;
    }

    public Stream accountData() {
        return accountData;
    }

    public Stream receipts() {
        return receipts;
    }

    public Stream typing() {
        return typing;
    }

    public Stream presence() {
        return presence;
    }

    /** Messages sent to devices ({@code sendToDevice} and {@code m.direct_to_device}). */
    public Stream toDevice() {
        return toDevice;
    }

    public long nextStateGroup() {
        return stateGroups.incrementAndGet();
    }
}
