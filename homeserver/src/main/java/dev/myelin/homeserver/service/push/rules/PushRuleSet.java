package dev.myelin.homeserver.service.push.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A user's push rules compiled for evaluation: the {@code global} ruleset's kinds in the spec's
 * order (override, content, room, sender, underride), each kind's rules in their given order.
 * The first enabled rule whose conditions all hold decides the actions. Immutable; build once
 * per change of the user's rules.
 */
public final class PushRuleSet {
    private final List<PushRule> rules;

    private PushRuleSet(List<PushRule> rules) {
        this.rules = rules;
    }

    /** Compiles a ruleset object ({@code {"override": [...], "content": [...], ...}}). */
    public static PushRuleSet compile(JsonNode ruleset) {
        List<PushRule> rules = new ArrayList<>();
        for (RuleKind kind : RuleKind.values()) {
            for (JsonNode rule : ruleset.path(kind.key())) {
                if (rule instanceof ObjectNode object) {
                    PushRule compiled = PushRule.compile(kind, object);
                    if (compiled.enabled()) {
                        rules.add(compiled);
                    }
                }
            }
        }
        return new PushRuleSet(List.copyOf(rules));
    }

    /** The actions of the first enabled matching rule, or {@link PushActions#NONE}. */
    public PushActions evaluate(PushContext context) {
        for (PushRule rule : rules) {
            if (rule.matches(context)) {
                return rule.actions();
            }
        }
        return PushActions.NONE;
    }

    /** Whether {@code word} occurs in {@code text} as a whole word (both already in lower case). */
    public static boolean containsWord(String text, String word) {
        return PushCondition.containsWord(text, word);
    }

    /** The ID of the first enabled matching rule, or null: for tests and diagnostics. */
    public String matchingRule(PushContext context) {
        for (PushRule rule : rules) {
            if (rule.matches(context)) {
                return rule.ruleId();
            }
        }
        return null;
    }
}
