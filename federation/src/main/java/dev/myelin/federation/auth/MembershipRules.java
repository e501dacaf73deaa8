package dev.myelin.federation.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.crypto.Base64Unpadded;
import dev.myelin.federation.crypto.JsonSignatures;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.event.RoomVersion;
import dev.myelin.federation.id.UserId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Rule 4 of the authorization rules: {@code m.room.member} events. */
final class MembershipRules {
    private MembershipRules() {
    }

    static void check(Pdu event, Map<StateKey, Pdu> state, PowerLevels levels, ServerSignatureCheck signatures) {
        RoomVersion v = event.roomVersion();
        String membership = event.contentString("membership");
        if (event.stateKey() == null || membership == null) {
            throw new AuthException("4.1", "a member event needs a state_key and content.membership");
        }
        UserId target;
        try {
            target = UserId.of(event.stateKey());
        } catch (IllegalArgumentException e) {
            throw new AuthException("4.1", "the state_key of a member event must be a user ID: " + event.stateKey());
        }
        JsonNode authoriserNode = event.content("join_authorised_via_users_server");
        UserId authoriser = null;
        if (authoriserNode != null && v.restrictedJoinAllowed()) {
            try {
                authoriser = UserId.of(authoriserNode.asText());
            } catch (IllegalArgumentException e) {
                throw new AuthException("4.2", "join_authorised_via_users_server is not a user ID");
            }
            if (!authoriserNode.isTextual() || !signatures.isSignedBy(event, authoriser.server())) {
                throw new AuthException("4.2", "the event is not signed by the server of " + authoriser);
            }
        }
        UserId sender = event.sender();
        String senderMembership = AuthRules.membership(state, sender.value());
        String targetMembership = AuthRules.membership(state, target.value());
        String joinRule = joinRule(state);
        long senderLevel = levels.userLevel(sender);
        long targetLevel = levels.userLevel(target);
        switch (membership) {
            case "join" -> join(event, state, levels, authoriser, target, senderMembership, joinRule);
            case "invite" -> invite(event, state, levels, target, senderMembership, targetMembership, senderLevel);
            case "leave" -> {
                if (sender.equals(target)) {
                    if (is(senderMembership, "invite", "join", "knock")) {
                        return;
                    }
                    throw new AuthException("4.5.1", "cannot leave with membership " + senderMembership);
                }
                requireJoined("4.5.2", senderMembership);
                if (targetMembership.equals("ban") && senderLevel < levels.ban()) {
                    throw new AuthException("4.5.3", "unbanning needs the ban level " + levels.ban() + ", sender has " + senderLevel);
                }
                if (senderLevel >= levels.kick() && targetLevel < senderLevel) {
                    return;
                }
                throw new AuthException("4.5.5", "kicking needs the kick level " + levels.kick()
                        + " and more power than the target (" + targetLevel + "); sender has " + senderLevel);
            }
            case "ban" -> {
                requireJoined("4.6.1", senderMembership);
                if (senderLevel >= levels.ban() && targetLevel < senderLevel) {
                    return;
                }
                throw new AuthException("4.6.3", "banning needs the ban level " + levels.ban()
                        + " and more power than the target (" + targetLevel + "); sender has " + senderLevel);
            }
            case "knock" -> {
                if (!v.knockAllowed()) {
                    throw new AuthException("4.8", "knocking is not allowed in room version " + v.id());
                }
                if (!joinRule.equals("knock") && !(joinRule.equals("knock_restricted") && v.knockRestrictedAllowed())) {
                    throw new AuthException("4.7.1", "the join rule " + joinRule + " does not allow knocking");
                }
                if (!sender.equals(target)) {
                    throw new AuthException("4.7.2", "the sender does not match the state_key");
                }
                if (!is(senderMembership, "ban", "invite", "join")) {
                    return;
                }
                throw new AuthException("4.7.4", "cannot knock with membership " + senderMembership);
            }
            default -> throw new AuthException("4.8", "unknown membership " + membership);
        }
    }

    private static void join(Pdu event, Map<StateKey, Pdu> state, PowerLevels levels, UserId authoriser,
                             UserId target, String senderMembership, String joinRule) {
        RoomVersion v = event.roomVersion();
        Pdu create = state.get(StateKey.create());
        List<?> prev = event.prevEventIds();
        if (prev.size() == 1 && create != null && prev.get(0).equals(create.eventId())
                && target.equals(PowerLevels.creator(create))) {
            return;
        }
        if (!event.sender().equals(target)) {
            throw new AuthException("4.3.2", "the sender does not match the state_key");
        }
        if (senderMembership.equals("ban")) {
            throw new AuthException("4.3.3", "the sender is banned");
        }
        if (joinRule.equals("invite") || (joinRule.equals("knock") && v.knockAllowed())) {
            if (is(senderMembership, "invite", "join")) {
                return;
            }
            throw new AuthException("4.3.4", "the join rule is " + joinRule + " and the sender is not invited");
        }
        if ((joinRule.equals("restricted") && v.restrictedJoinAllowed())
                || (joinRule.equals("knock_restricted") && v.knockRestrictedAllowed())) {
            if (is(senderMembership, "invite", "join")) {
                return;
            }
            if (authoriser == null) {
                throw new AuthException("4.3.5.2", "a restricted join needs join_authorised_via_users_server");
            }
            if (!AuthRules.membership(state, authoriser.value()).equals("join")
                    || levels.userLevel(authoriser) < levels.invite()) {
                throw new AuthException("4.3.5.2", authoriser + " may not invite users, so cannot authorise the join");
            }
            return;
        }
        if (joinRule.equals("public")) {
            return;
        }
        throw new AuthException("4.3.7", "the join rule " + joinRule + " does not allow joining");
    }

    private static void invite(Pdu event, Map<StateKey, Pdu> state, PowerLevels levels, UserId target,
                               String senderMembership, String targetMembership, long senderLevel) {
        JsonNode thirdParty = event.content("third_party_invite");
        if (thirdParty != null) {
            thirdPartyInvite(event, state, target, targetMembership, thirdParty);
            return;
        }
        requireJoined("4.4.2", senderMembership);
        if (is(targetMembership, "join", "ban")) {
            throw new AuthException("4.4.3", "the target's membership is " + targetMembership);
        }
        if (senderLevel >= levels.invite()) {
            return;
        }
        throw new AuthException("4.4.5", "inviting needs the invite level " + levels.invite() + ", sender has " + senderLevel);
    }

    private static void thirdPartyInvite(Pdu event, Map<StateKey, Pdu> state, UserId target, String targetMembership,
                                         JsonNode thirdParty) {
        if (targetMembership.equals("ban")) {
            throw new AuthException("4.4.1.1", "the target is banned");
        }
        JsonNode signed = thirdParty.get("signed");
        if (signed == null || !signed.isObject()) {
            throw new AuthException("4.4.1.2", "third_party_invite has no signed object");
        }
        JsonNode mxid = signed.get("mxid");
        JsonNode token = signed.get("token");
        if (mxid == null || !mxid.isTextual() || token == null || !token.isTextual()) {
            throw new AuthException("4.4.1.3", "signed needs mxid and token");
        }
        if (!mxid.textValue().equals(target.value())) {
            throw new AuthException("4.4.1.4", "signed.mxid does not match the state_key");
        }
        Pdu invite = state.get(StateKey.thirdPartyInvite(token.textValue()));
        if (invite == null) {
            throw new AuthException("4.4.1.5", "no m.room.third_party_invite for the token");
        }
        if (!invite.sender().equals(event.sender())) {
            throw new AuthException("4.4.1.6", "the sender did not send the m.room.third_party_invite");
        }
        List<byte[]> keys = publicKeys(invite);
        JsonNode sigs = signed.path("signatures");
        for (Map.Entry<String, JsonNode> entity : sigs.properties()) {
            for (Map.Entry<String, JsonNode> keyId : entity.getValue().properties()) {
                for (byte[] key : keys) {
                    if (JsonSignatures.verify((ObjectNode) signed, entity.getKey(), keyId.getKey(), key)) {
                        return;
                    }
                }
            }
        }
        throw new AuthException("4.4.1.8", "no signature in signed matches a public key of the third party invite");
    }

    private static List<byte[]> publicKeys(Pdu invite) {
        List<String> encoded = new ArrayList<>();
        JsonNode single = invite.content("public_key");
        if (single != null && single.isTextual()) {
            encoded.add(single.textValue());
        }
        JsonNode list = invite.content("public_keys");
        if (list != null && list.isArray()) {
            for (JsonNode k : list) {
                if (k.path("public_key").isTextual()) {
                    encoded.add(k.get("public_key").textValue());
                }
            }
        }
        List<byte[]> keys = new ArrayList<>();
        for (String e : encoded) {
            try {
                keys.add(Base64Unpadded.decode(e));
            } catch (IllegalArgumentException ignored) {
                // an undecodable key matches no signature
            }
        }
        return keys;
    }

    /** {@code join_rule} of the room; {@code invite} when there is no join rules event (as deployed servers do). */
    private static String joinRule(Map<StateKey, Pdu> state) {
        Pdu rules = state.get(StateKey.joinRules());
        String rule = rules == null ? null : rules.contentString("join_rule");
        return rule == null ? "invite" : rule;
    }

    private static void requireJoined(String rule, String senderMembership) {
        if (!senderMembership.equals("join")) {
            throw new AuthException(rule, "the sender is not joined (membership " + senderMembership + ")");
        }
    }

    private static boolean is(String value, String... options) {
        for (String option : options) {
            if (option.equals(value)) {
                return true;
            }
        }
        return false;
    }
}
