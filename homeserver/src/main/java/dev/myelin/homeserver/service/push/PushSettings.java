package dev.myelin.homeserver.service.push;

import java.time.Duration;

/**
 * How notifications are delivered to push gateways.
 *
 * @param initialBackoff        wait before the first retry of a failed request; doubles each retry
 * @param maxBackoff            the longest wait between retries
 * @param maxAttempts           requests per notification before giving up on it
 * @param queueCapacity         notifications waiting per pusher; past it the oldest is dropped
 * @param maxConcurrentRequests requests in flight to all gateways together
 * @param requestTimeout        connect and response timeout of one request
 */
public record PushSettings(Duration initialBackoff, Duration maxBackoff, int maxAttempts, int queueCapacity,
                           int maxConcurrentRequests, Duration requestTimeout) {
    /** 1 s doubling to 5 minutes, 10 attempts (about 8.5 minutes of retrying), 100 queued per pusher. */
    public static final PushSettings DEFAULT = new PushSettings(Duration.ofSeconds(1), Duration.ofMinutes(5), 10, 100,
            32, Duration.ofSeconds(30));

    public PushSettings {
        if (maxAttempts < 1 || queueCapacity < 1 || maxConcurrentRequests < 1) {
            throw new IllegalArgumentException("attempts, queue capacity and concurrency must be positive");
        }
    }

    /** The wait before retry number {@code retry} (1 for the first retry). */
    public Duration backoff(int retry) {
        Duration wait = initialBackoff;
        for (int i = 1; i < retry && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
