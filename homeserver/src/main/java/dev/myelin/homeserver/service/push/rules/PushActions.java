package dev.myelin.homeserver.service.push.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The outcome of a matching rule's actions: whether to notify, whether to highlight, and the
 * tweaks ({@code sound}, {@code highlight}, ...). {@code dont_notify} is the legacy spelling of no
 * action; the legacy {@code coalesce} notifies.
 *
 * @param actions the rule's actions as given
 */
public record PushActions(boolean notifies, boolean highlight, ObjectNode tweaks, ArrayNode actions) {
    /** Nothing to do. */
    public static final PushActions NONE = new PushActions(false, false, JsonNodeFactory.instance.objectNode(),
            JsonNodeFactory.instance.arrayNode());

    /** Interprets a rule's actions; unknown actions are ignored. */
    public static PushActions of(ArrayNode actions) {
        boolean notify = false;
        ObjectNode tweaks = JsonNodeFactory.instance.objectNode();
        for (JsonNode action : actions) {
            if (action.isTextual()) {
                String name = action.textValue();
                if (name.equals("notify") || name.equals("coalesce")) {
                    notify = true;
                }
            } else if (action.isObject() && action.path("set_tweak").isTextual()) {
                JsonNode value = action.get("value");
                String tweak = action.get("set_tweak").textValue();
                tweaks.set(tweak, value == null && tweak.equals("highlight")
                        ? JsonNodeFactory.instance.booleanNode(true) : value);
            }
        }
        boolean highlight = notify && tweaks.path("highlight").asBoolean(false);
        return new PushActions(notify, highlight, tweaks, actions);
    }
}
