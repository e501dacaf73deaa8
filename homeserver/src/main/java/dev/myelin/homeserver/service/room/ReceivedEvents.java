package dev.myelin.homeserver.service.room;

import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.service.EventCache;
import dev.myelin.homeserver.service.Streams;
import dev.myelin.homeserver.service.sync.Notifier;
import dev.myelin.homeserver.storage.EventStore;
import dev.myelin.homeserver.storage.RoomStateStore;
import dev.myelin.homeserver.storage.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Events received from other servers that do not move a room's head: outliers (a joined room's
 * state and auth chain, fetched auth events, soft-failed events), a local user's membership of
 * a room this server is not in, and history fetched from before the known one (backfill).
 * {@link RemoteEventWriter} adds the events that do.
 */
public final class ReceivedEvents {
    private final EventStore store;
    private final EventCache cache;
    private final Streams streams;
    private final Notifier notifier;
    private final UserMemberships memberships;
    private final AtomicLong lowestPosition = new AtomicLong(1);

    public ReceivedEvents(EventStore store, EventCache cache, Streams streams, Notifier notifier,
                          UserMemberships memberships) {
        this.store = store;
        this.cache = cache;
        this.streams = streams;
        this.notifier = notifier;
        this.memberships = memberships;
    }

    /**
     * Keeps events checked elsewhere that have no place in the timeline (outliers) and caches
     * them as checked, so that reading them back does not parse and validate them again.
     */
    public void outliers(List<Pdu> events) {
        store.persistOutliers(events);
        for (Pdu pdu : events) {
            cache.putIfAbsent(new StoredEvent(0, pdu, 0, null, null, null, null));
        }
    }

    /**
     * Records a local user's membership of a room this server is not in: an invite from another
     * server (which sync shows with the stripped state it carries) or that invite's rejection.
     */
    public void outOfRoom(Pdu memberEvent) {
        UserId user = UserId.of(memberEvent.stateKey());
        streams.roomEvents().write(position -> {
            store.persistOutOfRoomMembership(memberEvent, position);
            cache.put(new StoredEvent(0, memberEvent, 0, null, null, null, null));
            memberships.update(new RoomStateStore.MembershipRow(memberEvent.roomId(), user, memberEvent.membership(),
                    memberEvent.eventId(), position));
            return null;
        });
        notifier.notify(java.util.Set.of(user));
    }

    /**
     * Adds events that precede the room's known history (backfill), newest first, below every
     * stream position used so far, so that paging backwards reaches them after the known ones.
     * They take the state group of the room's earliest known event: their own state is not
     * fetched. The room's head, extremities and current state do not change.
     */
    public int backfilled(LiveRoom room, List<Pdu> newestFirst, long stateGroup) {
        room.lock().lock();
        try {
            List<StoredEvent> events = new ArrayList<>();
            long position = nextBackfillPosition(newestFirst.size());
            for (Pdu pdu : newestFirst) {
                Optional<StoredEvent> known = cache.get(pdu.eventId());
                if (known.isPresent() && known.get().stream() != 0) {
                    continue;
                }
                events.add(new StoredEvent(position--, pdu, stateGroup, null, null, null, null));
            }
            store.persistBackfilled(events);
            events.forEach(cache::put);
            return events.size();
        } finally {
            room.lock().unlock();
        }
    }

    /** The first of {@code count} fresh positions below all used ones (they go downwards from it). */
    private long nextBackfillPosition(int count) {
        lowestPosition.compareAndSet(1, store.minStream());
        return lowestPosition.getAndAdd(-count) - 1;
    }

}
