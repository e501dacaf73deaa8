package dev.myelin.federation.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.event.RoomVersion;
import dev.myelin.federation.id.EventId;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The authorization rules of room versions 10 and 11 ("Authorization rules" in the room
 * version specifications). {@link #check} decides whether an event is allowed given the state
 * it is authorised against (its auth events, or the room state before it) and throws an
 * {@link AuthException} naming the rule when it is not.
 */
public final class AuthRules {
    private AuthRules() {
    }

    /** Checks an event; {@code join_authorised_via_users_server} signatures are checked with {@link ServerSignatureCheck#PRESENT}. */
    public static void check(Pdu event, Map<StateKey, Pdu> authState) {
        check(event, authState, ServerSignatureCheck.PRESENT);
    }

    /**
     * Checks an event against the authorization rules.
     *
     * @param authState the state to authorise against, keyed by (type, state_key); only the
     *     entries named by {@link AuthEvents#selectFor} are consulted
     * @throws AuthException when the event is not allowed
     */
    public static void check(Pdu event, Map<StateKey, Pdu> authState, ServerSignatureCheck signatures) {
        RoomVersion v = event.roomVersion();
        if (event.type().equals(StateKey.CREATE)) {
            checkCreate(event);
            return;
        }
        Pdu create = authState.get(StateKey.create());
        if (create == null) {
            throw new AuthException("2.4", "there is no m.room.create event among the auth events");
        }
        JsonNode federate = create.content("m.federate");
        if (federate != null && federate.isBoolean() && !federate.booleanValue()
                && !event.sender().server().equals(create.sender().server())) {
            throw new AuthException("3", "the room does not federate and the sender is from another server");
        }
        PowerLevels levels = PowerLevels.fromState(authState);
        if (event.type().equals(StateKey.MEMBER)) {
            MembershipRules.check(event, authState, levels, signatures);
            return;
        }
        if (!"join".equals(membership(authState, event.sender().value()))) {
            throw new AuthException("5", "the sender " + event.sender() + " is not joined to the room");
        }
        long senderLevel = levels.userLevel(event.sender());
        if (event.type().equals(StateKey.THIRD_PARTY_INVITE)) {
            if (senderLevel >= levels.invite()) {
                return;
            }
            throw new AuthException("6.1", "sender's power level " + senderLevel + " is below the invite level " + levels.invite());
        }
        long required = levels.eventLevel(event.type(), event.isState());
        if (required > senderLevel) {
            throw new AuthException("7", "sending " + event.type() + " requires power level " + required
                    + ", the sender has " + senderLevel);
        }
        if (event.isState() && event.stateKey().startsWith("@") && !event.stateKey().equals(event.sender().value())) {
            throw new AuthException("8", "state_key " + event.stateKey() + " starts with @ and is not the sender");
        }
        if (event.type().equals(StateKey.POWER_LEVELS)) {
            PowerLevelRules.check(event, authState.get(StateKey.powerLevels()), senderLevel, v);
        }
    }

    /** Rule 1: the {@code m.room.create} event. */
    static void checkCreate(Pdu event) {
        if (!event.prevEventIds().isEmpty()) {
            throw new AuthException("1.1", "the create event has prev_events");
        }
        if (!event.roomId().server().equals(event.sender().server())) {
            throw new AuthException("1.2", "the domain of the room_id does not match the domain of the sender");
        }
        JsonNode version = event.content("room_version");
        if (version != null && (!version.isTextual() || RoomVersion.byId(version.textValue()).isEmpty())) {
            throw new AuthException("1.3", "content.room_version " + version + " is not a recognised room version");
        }
        if (event.roomVersion().createHasCreator() && event.content("creator") == null) {
            throw new AuthException("1.4", "the create event has no content.creator");
        }
    }

    /**
     * Rule 2: checks an event's auth events (all of them, fetched by ID) and returns them keyed
     * by state key, ready for {@link #check}. Rejects duplicates (2.1), entries the auth events
     * selection does not name (2.2), a missing create event (2.4), auth events from another room,
     * non-state auth events, and auth events that are missing or not cited by the event.
     * Whether the auth events were themselves rejected (2.3) is for the caller to know.
     */
    /**
     * Checks that a power levels content has the shape rules 9.1 to 9.3 demand (integer levels,
     * user IDs as keys) before it is sent, so that a room is not half-created with it.
     */
    public static void checkPowerLevelsContent(com.fasterxml.jackson.databind.JsonNode content, RoomVersion v) {
        PowerLevelRules.checkContent(content, v);
    }

    public static Map<StateKey, Pdu> checkAuthEvents(Pdu event, Collection<Pdu> authEvents) {
        Set<EventId> cited = new HashSet<>(event.authEventIds());
        Set<EventId> given = new HashSet<>();
        for (Pdu authEvent : authEvents) {
            if (!cited.contains(authEvent.eventId())) {
                throw new AuthException("2", "auth event " + authEvent.eventId() + " is not cited by the event");
            }
            given.add(authEvent.eventId());
        }
        if (!given.containsAll(cited)) {
            throw new AuthException("2", "not all auth events of the event were supplied");
        }
        if (event.type().equals(StateKey.CREATE)) {
            return Map.of();
        }
        List<StateKey> allowed = AuthEvents.selectFor(event);
        Map<StateKey, Pdu> byKey = new HashMap<>();
        for (Pdu authEvent : authEvents) {
            if (!authEvent.isState()) {
                throw new AuthException("2", "auth event " + authEvent.eventId() + " is not a state event");
            }
            if (!authEvent.roomId().equals(event.roomId())) {
                throw new AuthException("2", "auth event " + authEvent.eventId() + " belongs to another room");
            }
            StateKey key = StateKey.of(authEvent);
            if (byKey.put(key, authEvent) != null) {
                throw new AuthException("2.1", "duplicate auth events for " + key);
            }
            if (!allowed.contains(key)) {
                throw new AuthException("2.2", "auth event " + authEvent.eventId() + " for " + key + " is not needed by the event");
            }
        }
        if (!byKey.containsKey(StateKey.create())) {
            throw new AuthException("2.4", "there is no m.room.create event among the auth events");
        }
        return byKey;
    }

    /**
     * "Handling redactions" (room versions 3+): whether a server applies {@code redaction} to
     * {@code original}: the redacting user has the redact level, or both senders are on the same
     * server.
     */
    public static boolean mayApplyRedaction(Pdu redaction, Pdu original, PowerLevels levels) {
        return levels.userLevel(redaction.sender()) >= levels.redact()
                || redaction.sender().server().equals(original.sender().server());
    }

    /** A user's membership in a state map; {@code leave} when there is no member event. */
    static String membership(Map<StateKey, Pdu> state, String userId) {
        Pdu member = state.get(StateKey.member(userId));
        if (member == null) {
            return "leave";
        }
        String membership = member.contentString("membership");
        return membership == null ? "leave" : membership;
    }
}
