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
 * @param newStateGroup  the new state group, if the event needs one: a state event's (a delta of
 *                       one entry on {@code prevStateGroup}, or a full snapshot when
 *                       {@code snapshot} is given), or the snapshot of a remote message's resolved
 *                       state before it
 * @param prevStateGroup the group the new one builds on, or null for a snapshot
 * @param chainLength    length of the delta chain of the new group
 * @param snapshot       full state for a snapshot group, else null
 * @param extremities    the room's forward extremities after this event
 * @param membership     for m.room.member events, the membership row to write
 * @param sender         local sender whose txn ID to record, with {@link StoredEvent#txnId()}
 * @param redacts        for a redaction already applied, the target and its redacted PDU
 * @param current        for an event received over federation, how the room's current state
 *                       changes when it is not simply the event's own entry; else null
 */
public record NewEvent(StoredEvent event, String roomVersion, Long newStateGroup, Long prevStateGroup,
                       int chainLength, List<StateEntry> snapshot, List<EventId> extremities,
                       Membership membership, UserId sender, Redaction redacts, CurrentState current) {

    /** An event written by this server: the current state changes by the event's own entry. */
    public NewEvent(StoredEvent event, String roomVersion, Long newStateGroup, Long prevStateGroup,
                    int chainLength, List<StateEntry> snapshot, List<EventId> extremities,
                    Membership membership, UserId sender, Redaction redacts) {
        this(event, roomVersion, newStateGroup, prevStateGroup, chainLength, snapshot, extremities, membership,
                sender, redacts, null);
    }

    /**
     * The room's current state after an event received over federation, as a change of the
     * stored current state.
     *
     * @param group       a state group holding the whole current state when it is resolved from
     *                    several forward extremities (written as a snapshot), else null
     * @param snapshot    the entries of {@code group}, or null
     * @param changed     current-state entries to add or replace
     * @param removed     current-state keys to remove
     * @param memberships membership rows that change with the current state
     */
    public record CurrentState(Long group, List<StateEntry> snapshot, List<StateEntry> changed,
                               List<StateKey> removed, List<MemberChange> memberships) {
    }

    /** A user's membership as a current-state member event sets it. */
    public record MemberChange(UserId userId, String membership, EventId eventId) {
    }

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
