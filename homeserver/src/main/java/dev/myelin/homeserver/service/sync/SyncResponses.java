package dev.myelin.homeserver.service.sync;

import dev.myelin.federation.id.UserId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Shares one computed {@code /sync} response among identical requests: the same device asking
 * from the same token with the same filter while the streams stand at the same positions (a
 * client's retries, several tabs, many parked polls woken by one event). Entries for older
 * stream positions are dropped as the map grows.
 */
final class SyncResponses {
    private static final int MAX_ENTRIES = 4096;

    /** What a response depends on. {@code now} pins the stream positions it was computed at. */
    record Key(UserId user, String deviceId, SyncRequest request, SyncToken now, long unreadVersion) {
    }

    private final ConcurrentHashMap<Key, CompletableFuture<SyncService.Result>> entries = new ConcurrentHashMap<>();

    SyncService.Result get(Key key, Supplier<SyncService.Result> compute) {
        CompletableFuture<SyncService.Result> mine = new CompletableFuture<>();
        CompletableFuture<SyncService.Result> existing = entries.putIfAbsent(key, mine);
        if (existing == null) {
            try {
                mine.complete(compute.get());
            } catch (RuntimeException | Error e) {
                entries.remove(key, mine);
                mine.completeExceptionally(e);
                throw e;
            }
            evictIfFull(key.now());
            return mine.join();
        }
        try {
            return existing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return compute.get();
        } catch (ExecutionException e) {
            return compute.get();
        }
    }

    private void evictIfFull(SyncToken now) {
        if (entries.size() > MAX_ENTRIES) {
            entries.keySet().removeIf(key -> !key.now().equals(now));
            if (entries.size() > MAX_ENTRIES) {
                entries.clear();
            }
        }
    }
}
