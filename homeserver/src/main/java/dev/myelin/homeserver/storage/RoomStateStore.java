package dev.myelin.homeserver.storage;

import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomAlias;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Rooms, their current and historical state, memberships and aliases. */
public interface RoomStateStore {
    /** What a room's writer needs to resume: version, extremities, depth, latest state group. */
    record RoomHead(RoomId roomId, String roomVersion, List<EventId> forwardExtremities, long maxDepth,
                    long stateGroup, int chainLength, long lastStream) {
    }

    /** A user's current membership of a room. */
    record MembershipRow(RoomId roomId, UserId userId, String membership, EventId eventId, long stream) {
    }

    Optional<RoomHead> roomHead(RoomId roomId);

    Map<StateKey, EventId> currentState(RoomId roomId);

    /** The full room state of a state group, resolving its delta chain. */
    Map<StateKey, EventId> stateOfGroup(long stateGroup);

    /**
     * Only the given keys of a state group's state, in one query: what history visibility needs
     * (the visibility setting and one member) without resolving the whole state.
     */
    Map<StateKey, EventId> stateOfGroup(long stateGroup, Collection<StateKey> keys);

    /** The stream position of the user's latest member event in the room that is a join, if any. */
    OptionalLong lastJoin(RoomId roomId, UserId userId);

    /** Every room the user has a membership in (not forgotten). */
    List<MembershipRow> membershipsOf(UserId userId);

    /** Users with the given membership of a room. */
    List<UserId> members(RoomId roomId, String membership);

    Optional<MembershipRow> membership(RoomId roomId, UserId userId);

    /** Hides a room the user has left from their sync; false when they are still in it. */
    boolean forget(RoomId roomId, UserId userId);

    Optional<RoomId> roomForAlias(RoomAlias alias);

    /** Creates an alias; false when it is taken. */
    boolean createAlias(RoomAlias alias, RoomId roomId, UserId creator);

    /** An alias with the room it points at and the user who created it. */
    record AliasRow(RoomAlias alias, RoomId roomId, UserId creator) {
    }

    Optional<AliasRow> alias(RoomAlias alias);

    /** The local aliases pointing at a room, in code point order. */
    List<RoomAlias> aliasesOf(RoomId roomId);

    /** Removes an alias; false when there was none. */
    boolean deleteAlias(RoomAlias alias);

    /** Points every alias of one room at another, as a room upgrade does; returns how many moved. */
    int moveAliases(RoomId from, RoomId to);
}
