package dev.myelin.federation.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.event.RoomVersion;
import dev.myelin.federation.id.UserId;
import java.util.ArrayList;
import java.util.List;

/**
 * The auth events selection (server-server API, "Auth events selection"): which pieces of the
 * room state an event must cite in its {@code auth_events}.
 */
public final class AuthEvents {
    private AuthEvents() {
    }

    /** The selection for an existing event. */
    public static List<StateKey> selectFor(Pdu event) {
        return selectFor(event.type(), event.sender(), event.stateKey(), event.content(), event.roomVersion());
    }

    /**
     * The state keys whose current events are the auth events of an event with these
     * properties: nothing for {@code m.room.create}; otherwise the create event, the power levels,
     * the sender's membership and, for {@code m.room.member}, the target's membership, the join
     * rules (join, invite, knock), the third party invite named by the token (invite) and the
     * membership of the user in {@code join_authorised_via_users_server} (restricted rooms).
     */
    public static List<StateKey> selectFor(String type, UserId sender, String stateKey, JsonNode content, RoomVersion v) {
        List<StateKey> keys = new ArrayList<>(6);
        if (StateKey.CREATE.equals(type)) {
            return keys;
        }
        keys.add(StateKey.create());
        keys.add(StateKey.powerLevels());
        keys.add(StateKey.member(sender));
        if (!StateKey.MEMBER.equals(type) || stateKey == null) {
            return keys;
        }
        addOnce(keys, StateKey.member(stateKey));
        JsonNode c = content == null ? MissingNode.getInstance() : content;
        String membership = c.path("membership").asText("");
        if (membership.equals("join") || membership.equals("invite") || membership.equals("knock")) {
            keys.add(StateKey.joinRules());
        }
        JsonNode token = c.path("third_party_invite").path("signed").path("token");
        if (membership.equals("invite") && token.isTextual()) {
            keys.add(StateKey.thirdPartyInvite(token.textValue()));
        }
        JsonNode authoriser = c.path("join_authorised_via_users_server");
        if (v.restrictedJoinAllowed() && authoriser.isTextual()) {
            addOnce(keys, StateKey.member(authoriser.textValue()));
        }
        return keys;
    }

    private static void addOnce(List<StateKey> keys, StateKey key) {
        if (!keys.contains(key)) {
            keys.add(key);
        }
    }
}
