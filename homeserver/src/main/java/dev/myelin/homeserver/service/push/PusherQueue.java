package dev.myelin.homeserver.service.push;

import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.service.push.PushGatewayClient.Accepted;
import dev.myelin.homeserver.service.push.PushGatewayClient.Failed;
import dev.myelin.homeserver.service.push.PushGatewayClient.Outcome;
import dev.myelin.homeserver.storage.PusherStore.Pusher;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The notifications waiting for one pusher, sent one request at a time in the order they came.
 * Notifications that arrive while a request is in flight (or waiting to be retried) queue up and
 * are sent next; each names its own event, so none can be merged into another. The queue is
 * bounded: when it is full the oldest waiting notification is dropped, since the newest carries
 * the current unread count. A failed request is retried with exponential backoff up to
 * {@link PushSettings#maxAttempts()}, then that notification is given up (and logged). A
 * gateway answer that rejects the pushkey removes the pusher and drops what is queued for it.
 */
final class PusherQueue {
    private static final Logger LOG = Logger.getLogger(PusherQueue.class.getName());

    private final PusherKey key;
    private final Pushers pushers;
    private final PushGatewayClient client;
    private final PushSettings settings;
    private final Semaphore requests;
    private final Executor executor;
    private final Consumer<PusherQueue> onPusherGone;
    private final ArrayDeque<PushNotification> pending = new ArrayDeque<>();
    private boolean draining;

    /** Identifies a pusher: the user, the app ID and the pushkey. */
    record PusherKey(UserId user, String appId, String pushkey) {
        static PusherKey of(Pusher pusher) {
            return new PusherKey(pusher.userId(), pusher.appId(), pusher.pushkey());
        }
    }

    /**
     * @param requests     permits for requests in flight, shared by all pushers
     * @param onPusherGone called once the pusher no longer exists and its queue is dropped
     */
    PusherQueue(PusherKey key, Pushers pushers, PushGatewayClient client, PushSettings settings, Semaphore requests,
                Executor executor, Consumer<PusherQueue> onPusherGone) {
        this.key = key;
        this.pushers = pushers;
        this.client = client;
        this.settings = settings;
        this.requests = requests;
        this.executor = executor;
        this.onPusherGone = onPusherGone;
    }

    /** Queues a notification and starts sending unless a send is already under way; never blocks. */
    synchronized void offer(PushNotification notification) {
        if (pending.size() >= settings.queueCapacity()) {
            PushNotification dropped = pending.removeFirst();
            LOG.warning(() -> "Push queue of " + key + " is full; dropped the notification of "
                    + dropped.event().pdu().eventId());
        }
        pending.addLast(notification);
        if (!draining) {
            draining = true;
            executor.execute(this::drain);
        }
    }

    private synchronized PushNotification next() {
        PushNotification next = pending.pollFirst();
        if (next == null) {
            draining = false;
        }
        return next;
    }

    private synchronized void dropAll() {
        pending.clear();
    }

    private void drain() {
        PushNotification notification;
        while ((notification = next()) != null) {
            try {
                if (!send(notification)) {
                    dropAll();
                    onPusherGone.accept(this);
                }
            } catch (InterruptedException e) {
                synchronized (this) {
                    draining = false;
                }
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Push to " + key + " failed; the notification is dropped", e);
            }
        }
    }

    /** Sends one notification, retrying failures; false when the pusher no longer exists. */
    private boolean send(PushNotification notification) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            Optional<Pusher> pusher = pushers.find(key.user(), key.appId(), key.pushkey());
            if (pusher.isEmpty()) {
                return false;
            }
            URI url = URI.create(Json.readObject(pusher.get().data()).path("url").asText());
            Outcome outcome;
            requests.acquire();
            try {
                outcome = client.notify(url, NotifyRequest.body(notification, pusher.get()));
            } finally {
                requests.release();
            }
            switch (outcome) {
                case Accepted accepted -> {
                    if (accepted.rejected().contains(key.pushkey())) {
                        LOG.info(() -> "Push gateway " + url + " rejected the pushkey of " + key + "; pusher removed");
                        pushers.delete(key.user(), key.appId(), key.pushkey());
                        return false;
                    }
                    return true;
                }
                case Failed failed -> {
                    if (attempt >= settings.maxAttempts()) {
                        int attempts = attempt;
                        LOG.warning(() -> "Giving up pushing " + notification.event().pdu().eventId() + " to " + key
                                + " at " + url + " after " + attempts + " attempts: " + failed.reason());
                        return true;
                    }
                    Duration wait = settings.backoff(attempt);
                    int attempts = attempt;
                    LOG.fine(() -> "Push to " + key + " failed (" + failed.reason() + ", attempt " + attempts
                            + "); retrying in " + wait);
                    Thread.sleep(wait);
                }
            }
        }
    }
}
