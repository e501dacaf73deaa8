package dev.myelin.homeserver.service;

import dev.myelin.federation.id.EventId;
import dev.myelin.homeserver.storage.EventStore;
import dev.myelin.homeserver.storage.StoredEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recently used events in front of the {@link EventStore}: events are immutable except for
 * redaction, which {@link #put} overwrites.
 */
public final class EventCache {
    private final EventStore store;
    private final Map<EventId, StoredEvent> cache;

    public EventCache(EventStore store, int capacity) {
        this.store = store;
        this.cache = new LinkedHashMap<>(capacity, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<EventId, StoredEvent> eldest) {
                return size() > capacity;
            }
        };
    }

    public Optional<StoredEvent> get(EventId id) {
        synchronized (cache) {
            StoredEvent hit = cache.get(id);
            if (hit != null) {
                return Optional.of(hit);
            }
        }
        return store.event(id).map(this::remember);
    }

    /** The events that exist, in the order asked. */
    public List<StoredEvent> getAll(Collection<EventId> ids) {
        List<StoredEvent> found = new ArrayList<>(ids.size());
        List<EventId> missing = new ArrayList<>();
        synchronized (cache) {
            for (EventId id : ids) {
                StoredEvent hit = cache.get(id);
                if (hit == null) {
                    missing.add(id);
                }
            }
        }
        Map<EventId, StoredEvent> loaded = new LinkedHashMap<>();
        for (StoredEvent e : store.events(missing)) {
            StoredEvent kept = remember(e);
            loaded.put(kept.pdu().eventId(), kept);
        }
        synchronized (cache) {
            for (EventId id : ids) {
                StoredEvent e = loaded.containsKey(id) ? loaded.get(id) : cache.get(id);
                if (e != null) {
                    found.add(e);
                }
            }
        }
        return found;
    }

    /**
     * Rows read from the store, each replaced by the cached version when there is one: the
     * writer updates the cache when it redacts, so a page read from the database never serves an
     * older copy than the one in memory.
     */
    public List<StoredEvent> current(List<StoredEvent> rows) {
        List<StoredEvent> result = new ArrayList<>(rows.size());
        synchronized (cache) {
            for (StoredEvent row : rows) {
                StoredEvent hit = cache.get(row.pdu().eventId());
                result.add(hit != null ? hit : row);
            }
        }
        return result;
    }

    /**
     * Caches an event loaded from the store unless a version is already cached: a load that raced
     * with a redaction must not replace the redacted copy the writer put.
     */
    private StoredEvent remember(StoredEvent loaded) {
        synchronized (cache) {
            StoredEvent present = cache.putIfAbsent(loaded.pdu().eventId(), loaded);
            return present != null ? present : loaded;
        }
    }

    /** Caches an event unless one of that ID is cached already (an outlier does not replace a timeline copy). */
    public void putIfAbsent(StoredEvent event) {
        remember(event);
    }

    /** Caches an event as written: the writer's version replaces any older one. */
    public void put(StoredEvent event) {
        synchronized (cache) {
            cache.put(event.pdu().eventId(), event);
        }
    }
}
