package dev.myelin.homeserver.service.push.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One push rule compiled for evaluation: its conditions (for content, room and sender rules the
 * ones their kind implies) and its actions.
 */
record PushRule(RuleKind kind, String ruleId, boolean enabled, List<PushCondition> conditions, PushActions actions) {
    private static final int MAX_INTERNED = 100_000;
    private static final Map<String, PushCondition> INTERNED = new ConcurrentHashMap<>();
    /** Actions likewise shared, so that equal outcomes are one object. */
    private static final Map<String, PushActions> INTERNED_ACTIONS = new ConcurrentHashMap<>();

    /** Compiles a rule in the spec's JSON form. */
    static PushRule compile(RuleKind kind, ObjectNode rule) {
        String ruleId = rule.path("rule_id").asText("");
        List<PushCondition> conditions = new ArrayList<>();
        switch (kind) {
            case CONTENT -> {
                JsonNode pattern = rule.get("pattern");
                conditions.add(pattern != null && pattern.isTextual()
                        ? interned("content " + pattern.textValue(),
                                () -> PushCondition.BodyWords.of(pattern.textValue()))
                        : new PushCondition.Unknown());
            }
            case ROOM -> conditions.add(new PushCondition.EventMatch(List.of("room_id"), Glob.whole(ruleId)));
            case SENDER -> conditions.add(new PushCondition.EventMatch(List.of("sender"), Glob.whole(ruleId)));
            default -> {
                for (JsonNode condition : rule.path("conditions")) {
                    conditions.add(interned(condition.toString(), () -> condition(condition)));
                }
            }
        }
        ArrayNode actions = rule.get("actions") instanceof ArrayNode list ? list : rule.arrayNode();
        PushActions compiled = INTERNED_ACTIONS.get(actions.toString());
        if (compiled == null) {
            compiled = PushActions.of(actions.deepCopy());
            if (INTERNED_ACTIONS.size() < MAX_INTERNED) {
                PushActions raced = INTERNED_ACTIONS.putIfAbsent(actions.toString(), compiled);
                compiled = raced != null ? raced : compiled;
            }
        }
        return new PushRule(kind, ruleId, rule.path("enabled").asBoolean(true), List.copyOf(conditions), compiled);
    }

    boolean matches(PushContext context) {
        for (PushCondition condition : conditions) {
            if (!context.holds(condition)) {
                return false;
            }
        }
        return true;
    }

    /**
     * One compiled condition per distinct condition JSON, shared by every user's rules, so that
     * the members of one event look each one up only once (see {@link PushContext#memo()}).
     */
    private static PushCondition interned(String key, Supplier<PushCondition> compile) {
        PushCondition known = INTERNED.get(key);
        if (known != null) {
            return known;
        }
        PushCondition compiled = compile.get();
        if (INTERNED.size() < MAX_INTERNED) {
            PushCondition raced = INTERNED.putIfAbsent(key, compiled);
            return raced != null ? raced : compiled;
        }
        return compiled;
    }

    private static PushCondition condition(JsonNode condition) {
        String key = condition.path("key").isTextual() ? condition.get("key").textValue() : null;
        return switch (condition.path("kind").asText("")) {
            case "event_match" -> key != null && condition.path("pattern").isTextual()
                    ? new PushCondition.EventMatch(EventProperties.path(key),
                            Glob.whole(condition.get("pattern").textValue()))
                    : new PushCondition.Unknown();
            case "event_property_is" -> key != null && condition.has("value")
                    ? new PushCondition.EventPropertyIs(EventProperties.path(key), condition.get("value"))
                    : new PushCondition.Unknown();
            case "event_property_contains" -> key != null && condition.has("value")
                    ? new PushCondition.EventPropertyContains(EventProperties.path(key), condition.get("value"))
                    : new PushCondition.Unknown();
            case "contains_display_name" -> new PushCondition.ContainsDisplayName();
            case "room_member_count" -> PushCondition.RoomMemberCount.parse(
                    condition.path("is").isTextual() ? condition.get("is").textValue() : null);
            case "sender_notification_permission" -> key != null
                    ? new PushCondition.SenderNotificationPermission(key)
                    : new PushCondition.Unknown();
            default -> new PushCondition.Unknown();
        };
    }
}
