package dev.myelin.homeserver.service.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.service.push.rules.RuleKind;
import java.util.Set;

/** Validates the body of {@code PUT /pushrules/global/{kind}/{ruleId}} into a stored rule. */
final class NewPushRule {
    private static final Set<String> SIMPLE_ACTIONS = Set.of("notify", "dont_notify", "coalesce");

    private NewPushRule() {
    }

    static ObjectNode validate(RuleKind kind, String ruleId, ObjectNode body) {
        if (ruleId.isEmpty() || ruleId.startsWith(".") || ruleId.contains("/") || ruleId.contains("\\")) {
            throw MatrixException.invalidParam("A rule ID must not be empty, start with '.' or hold '/' or '\\'");
        }
        if (kind == RuleKind.ROOM && !ruleId.startsWith("!")) {
            throw MatrixException.invalidParam("A room rule's ID must be a room ID");
        }
        if (kind == RuleKind.SENDER && !ruleId.startsWith("@")) {
            throw MatrixException.invalidParam("A sender rule's ID must be a user ID");
        }
        ObjectNode rule = Json.object();
        rule.put("rule_id", ruleId);
        rule.put("default", false);
        rule.put("enabled", true);
        rule.set("actions", actions(body.get("actions")));
        if (kind == RuleKind.CONTENT) {
            JsonNode pattern = body.get("pattern");
            if (pattern == null || !pattern.isTextual()) {
                throw MatrixException.badJson("A content rule needs a pattern");
            }
            rule.put("pattern", pattern.textValue());
        } else if (kind == RuleKind.OVERRIDE || kind == RuleKind.UNDERRIDE) {
            JsonNode conditions = body.get("conditions");
            if (conditions != null && !conditions.isNull()) {
                if (!conditions.isArray()) {
                    throw MatrixException.badJson("conditions must be a list");
                }
                for (JsonNode condition : conditions) {
                    if (!condition.isObject() || !condition.path("kind").isTextual()) {
                        throw MatrixException.badJson("Each condition must be an object with a kind");
                    }
                }
                rule.set("conditions", conditions.deepCopy());
            } else {
                rule.putArray("conditions");
            }
        }
        return rule;
    }

    /** Checks a list of actions: known simple actions and {@code set_tweak} objects. */
    static ArrayNode actions(JsonNode actions) {
        if (actions == null || !actions.isArray()) {
            throw MatrixException.badJson("actions must be a list");
        }
        for (JsonNode action : actions) {
            boolean simple = action.isTextual() && SIMPLE_ACTIONS.contains(action.textValue());
            boolean tweak = action.isObject() && action.path("set_tweak").isTextual();
            if (!simple && !tweak) {
                throw MatrixException.invalidParam("Unrecognised push rule action: " + action);
            }
        }
        return (ArrayNode) actions.deepCopy();
    }
}
