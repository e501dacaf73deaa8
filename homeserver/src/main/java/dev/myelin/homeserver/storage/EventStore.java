package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Events: persistence (with the state and membership it implies) and reads. */
public interface EventStore {
    /** Which way to page through a room's events. */
    enum Direction { FORWARDS, BACKWARDS }

    /** Narrows a page of events by type and sender; empty lists mean no restriction. */
    record EventQuery(List<String> types, List<String> notTypes, List<String> senders, List<String> notSenders) {
        public static final EventQuery ALL = new EventQuery(List.of(), List.of(), List.of(), List.of());
    }

    /** Persists one event and all it implies, in one transaction. */
    void persist(NewEvent event);

    Optional<StoredEvent> event(EventId eventId);

    List<StoredEvent> events(Collection<EventId> eventIds);

    /**
     * A page of a room's events on the stream: forwards, those with position in
     * {@code (from, to]} ascending; backwards, those in {@code (to, from]} descending.
     */
    List<StoredEvent> roomEvents(RoomId roomId, long from, long to, Direction direction, int limit, EventQuery query);

    /** The event a user's device already sent with this transaction ID, if any. */
    Optional<EventId> eventForTransaction(UserId userId, String deviceId, String txnId);

    /** The highest stream position persisted, for resuming at start-up. */
    long maxStream();

    /** The highest state group ID, for resuming at start-up. */
    long maxStateGroup();
}
