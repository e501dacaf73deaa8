package dev.myelin.homeserver.service.push;

import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.service.push.PusherQueue.PusherKey;
import dev.myelin.homeserver.storage.PusherStore.Pusher;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Delivers notifications to the user's http pushers through their push gateways (the Push
 * Gateway API's {@code POST /_matrix/push/v1/notify}). {@link #deliver} only looks the user's
 * pushers up in memory and queues the notification on each pusher's {@link PusherQueue}; the
 * requests run on virtual threads, at most {@link PushSettings#maxConcurrentRequests()} at once.
 */
public final class PusherService implements PushDelivery, AutoCloseable {
    private final Pushers pushers;
    private final PushSettings settings;
    private final PushGatewayClient client;
    private final Semaphore requests;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<PusherKey, PusherQueue> queues = new ConcurrentHashMap<>();

    public PusherService(Pushers pushers, PushSettings settings) {
        this.pushers = pushers;
        this.settings = settings;
        this.client = new PushGatewayClient(settings.requestTimeout());
        this.requests = new Semaphore(settings.maxConcurrentRequests());
    }

    @Override
    public boolean wants(UserId user) {
        return !pushers.of(user).isEmpty();
    }

    @Override
    public void deliver(PushNotification notification) {
        for (Pusher pusher : pushers.of(notification.user())) {
            if (pusher.kind().equals("http")) {
                queues.computeIfAbsent(PusherKey.of(pusher), this::newQueue).offer(notification);
            }
        }
    }

    private PusherQueue newQueue(PusherKey key) {
        return new PusherQueue(key, pushers, client, settings, requests, executor,
                gone -> queues.remove(key, gone));
    }

    /** Stops sending: requests in flight and retries waiting are abandoned. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
