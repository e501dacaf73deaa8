package dev.myelin.homeserver.storage;

import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.UserId;
import java.util.List;

/**
 * Everything one event's persistence writes in its transaction.
 *
 * @param event          the event row
 * @param roomVersion    set only for an m.room.create event: the rooms row to create
 * @param newStateGroup  for a state event, the new state group (a delta of one entry on
 *                       {@code prevStateGroup}, or a full snapshot when {@code snapshot} is given)
 * @param prevStateGroup the group the new one builds on, or null for a snapshot
 * @param chainLength    length of the delta chain of the new group
 * @param snapshot       full state for a snapshot group, else null
 * @param extremities    the room's forward extremities after this event
 * @param membership     for m.room.member events, the membership row to write
 * @param sender         local sender whose txn ID to record, with {@link StoredEvent#txnId()}
 * @param redacts        for a redaction already applied, the target and its redacted PDU
 */
public record NewEvent(StoredEvent event, String roomVersion, Long newStateGroup, Long prevStateGroup,
                       int chainLength, List<StateEntry> snapshot, List<EventId> extremities,
                       Membership membership, UserId sender, Redaction redacts) {

    /** One entry of room state. */
    public record StateEntry(StateKey key, EventId eventId) {
    }

    /** A user's membership as the event sets it. */
    public record Membership(UserId userId, String membership) {
    }

    /** A redaction's effect on its target: the target's new, redacted PDU. */
    public record Redaction(EventId target, Pdu redactedPdu) {
    }
}
