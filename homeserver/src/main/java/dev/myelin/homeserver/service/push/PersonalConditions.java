package dev.myelin.homeserver.service.push;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.service.push.rules.PushRuleSet;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * For one event, whether any of the server-default rules' personal conditions may hold for a
 * user: the invite is for them, {@code m.mentions} names them, or the body holds their display
 * name or localpart as a word. When none may, the defaults decide for them exactly as for anyone
 * else ({@link PushRuleService#template()}), so a room's members on the defaults share one
 * evaluation. Errs towards "may": then the user's own rules are evaluated in full.
 */
final class PersonalConditions {
    private final String invitee;
    private final Set<String> mentioned = new HashSet<>();
    private final String lowerBody;

    PersonalConditions(Pdu pdu, JsonNode event) {
        this.invitee = pdu.type().equals("m.room.member") ? pdu.stateKey() : null;
        JsonNode ids = event.path("content").path("m.mentions").path("user_ids");
        if (ids.isArray()) {
            ids.forEach(id -> mentioned.add(id.asText()));
        }
        JsonNode body = event.path("content").path("body");
        this.lowerBody = body.isTextual() ? body.textValue().toLowerCase(Locale.ROOT) : null;
    }

    boolean mayConcern(UserId user, String displayName) {
        if (user.value().equals(invitee) || mentioned.contains(user.value())) {
            return true;
        }
        if (lowerBody == null) {
            return false;
        }
        return PushRuleSet.containsWord(lowerBody, user.localpart().toLowerCase(Locale.ROOT))
                || (displayName != null && !displayName.isBlank()
                        && PushRuleSet.containsWord(lowerBody, displayName.toLowerCase(Locale.ROOT)));
    }
}
