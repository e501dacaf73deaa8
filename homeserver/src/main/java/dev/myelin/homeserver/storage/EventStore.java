package dev.myelin.homeserver.storage;

import dev.myelin.federation.event.Pdu;
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

    /**
     * Stores events that have no place in a room's timeline (outliers): the state and auth chain
     * of a room joined over federation, auth events fetched to check an event. They are read back
     * by {@link #event} and {@link #events} with stream position and state group 0.
     */
    void persistOutliers(Collection<Pdu> events);

    /**
     * A member event of a room this server is not in (an invite from another server, the
     * rejection of one), stored as an outlier with the user's membership row at a stream position.
     */
    void persistOutOfRoomMembership(Pdu memberEvent, long stream);

    /**
     * Stores events fetched from other servers that precede a room's known history (backfill),
     * at the negative stream positions the caller chose; the room's head does not change.
     */
    void persistBackfilled(List<StoredEvent> events);

    /** The room's event at the lowest stream position: where backfill continues. */
    Optional<StoredEvent> earliestEvent(RoomId roomId);

    /** The lowest stream position of any event (0 when there is none below 1). */
    long minStream();

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
