package dev.myelin.federation.auth;

import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.UserId;
import java.util.Objects;

/** The {@code (type, state_key)} pair that identifies a piece of room state. */
public record StateKey(String type, String stateKey) {
    public static final String CREATE = "m.room.create";
    public static final String POWER_LEVELS = "m.room.power_levels";
    public static final String MEMBER = "m.room.member";
    public static final String JOIN_RULES = "m.room.join_rules";
    public static final String THIRD_PARTY_INVITE = "m.room.third_party_invite";

    public StateKey {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(stateKey, "stateKey");
    }

    public static StateKey of(String type, String stateKey) {
        return new StateKey(type, stateKey);
    }

    /** The key of a state event; throws for a message event. */
    public static StateKey of(Pdu stateEvent) {
        if (!stateEvent.isState()) {
            throw new IllegalArgumentException("not a state event: " + stateEvent.eventId());
        }
        return new StateKey(stateEvent.type(), stateEvent.stateKey());
    }

    public static StateKey create() {
        return new StateKey(CREATE, "");
    }

    public static StateKey powerLevels() {
        return new StateKey(POWER_LEVELS, "");
    }

    public static StateKey joinRules() {
        return new StateKey(JOIN_RULES, "");
    }

    public static StateKey member(UserId user) {
        return new StateKey(MEMBER, user.value());
    }

    public static StateKey member(String userId) {
        return new StateKey(MEMBER, userId);
    }

    public static StateKey thirdPartyInvite(String token) {
        return new StateKey(THIRD_PARTY_INVITE, token);
    }
}
