package dev.myelin.homeserver.service.ephemeral;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the timeouts of typing notices and presence on one background thread at a fixed period,
 * until closed with the server.
 */
public final class EphemeralTimers implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EphemeralTimers.class.getName());

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "myelin-ephemeral-timers");
        thread.setDaemon(true);
        return thread;
    });

    public EphemeralTimers(Duration period, List<Runnable> tasks) {
        long millis = period.toMillis();
        executor.scheduleWithFixedDelay(() -> tasks.forEach(EphemeralTimers::runLogged), millis, millis,
                TimeUnit.MILLISECONDS);
    }

    private static void runLogged(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "ephemeral timeout task failed", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
