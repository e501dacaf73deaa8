package dev.myelin.homeserver.service.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.ErrCode;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.service.AccountDataService;
import dev.myelin.homeserver.service.PushRules;
import dev.myelin.homeserver.service.push.rules.PushRuleSet;
import dev.myelin.homeserver.service.push.rules.RuleKind;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A user's push rules: the server-default set until they change it, then their own copy kept as
 * {@code m.push_rules} global account data (so their other devices see changes through sync).
 * Holds each user's rules compiled for evaluation, rebuilt when they change.
 */
public final class PushRuleService {
    private static final String TYPE = "m.push_rules";

    private final AccountDataService accountData;
    private final PushRules defaults;
    private final Map<UserId, PushRuleSet> compiled = new ConcurrentHashMap<>();
    /** Users known to have their own copy of the rules (absent: unknown yet, or the defaults). */
    private final Map<UserId, Boolean> customized = new ConcurrentHashMap<>();
    private final PushRuleSet template;

    public PushRuleService(AccountDataService accountData, PushRules defaults) {
        this.accountData = accountData;
        this.defaults = defaults;
        this.template = PushRuleSet.compile(defaults.template());
    }

    /**
     * The server-default rules with no user's personal conditions (mentions, name, invite)
     * holding: what they decide for every user on the defaults whom those conditions miss.
     */
    public PushRuleSet template() {
        return template;
    }

    /** Whether the user still has the server-default rules (no change of theirs stored). */
    public boolean usesDefaults(UserId user) {
        Boolean custom = customized.get(user);
        if (custom == null) {
            compiled(user);
            custom = customized.getOrDefault(user, false);
        }
        return !custom;
    }

    /** The user's {@code global} ruleset, a copy the caller may change. */
    public ObjectNode ruleset(UserId user) {
        return stored(user).orElseGet(() -> defaults.forUser(user));
    }

    private Optional<ObjectNode> stored(UserId user) {
        return accountData.find(user, null, TYPE)
                .map(content -> content.get("global"))
                .filter(JsonNode::isObject)
                .map(global -> (ObjectNode) global);
    }

    /** The user's rules compiled; cached until they change. */
    public PushRuleSet compiled(UserId user) {
        PushRuleSet set = compiled.get(user);
        if (set != null) {
            return set;
        }
        synchronized (this) {
            // under the lock that changes take, so a change cannot be overwritten by an older read
            return compiled.computeIfAbsent(user, u -> {
                Optional<ObjectNode> own = stored(u);
                customized.put(u, own.isPresent());
                return PushRuleSet.compile(own.orElseGet(() -> defaults.forUser(u)));
            });
        }
    }

    /** One rule, as the spec's {@code PushRule}. */
    public ObjectNode rule(UserId user, String kind, String ruleId) {
        ObjectNode ruleset = ruleset(user);
        return (ObjectNode) find(ruleset, kind(kind), ruleId).deepCopy();
    }

    /** Adds or replaces a user-defined rule, optionally before or after another user-defined one. */
    public synchronized void put(UserId user, String kindName, String ruleId, ObjectNode body, String before,
                                 String after) {
        RuleKind kind = kind(kindName);
        ObjectNode rule = NewPushRule.validate(kind, ruleId, body);
        ObjectNode ruleset = ruleset(user);
        ArrayNode rules = rules(ruleset, kind);
        int existing = indexOf(rules, ruleId);
        if (existing >= 0) {
            if (before == null && after == null) {
                ObjectNode old = (ObjectNode) rules.get(existing);
                rule.put("enabled", old.path("enabled").asBoolean(true));
                rules.set(existing, rule);
                save(user, ruleset);
                return;
            }
            rules.remove(existing);
        }
        rules.insert(position(rules, kind, before, after), rule);
        save(user, ruleset);
    }

    public synchronized void delete(UserId user, String kindName, String ruleId) {
        RuleKind kind = kind(kindName);
        ObjectNode ruleset = ruleset(user);
        ObjectNode rule = find(ruleset, kind, ruleId);
        if (rule.path("default").asBoolean(false)) {
            throw MatrixException.invalidParam("Cannot delete a server-default rule");
        }
        ArrayNode rules = rules(ruleset, kind);
        rules.remove(indexOf(rules, ruleId));
        save(user, ruleset);
    }

    public synchronized void setEnabled(UserId user, String kindName, String ruleId, JsonNode enabled) {
        if (enabled == null || !enabled.isBoolean()) {
            throw MatrixException.badJson("enabled must be a boolean");
        }
        ObjectNode ruleset = ruleset(user);
        find(ruleset, kind(kindName), ruleId).put("enabled", enabled.booleanValue());
        save(user, ruleset);
    }

    public synchronized void setActions(UserId user, String kindName, String ruleId, JsonNode actions) {
        ArrayNode valid = NewPushRule.actions(actions);
        ObjectNode ruleset = ruleset(user);
        find(ruleset, kind(kindName), ruleId).set("actions", valid);
        save(user, ruleset);
    }

    private void save(UserId user, ObjectNode ruleset) {
        ObjectNode content = Json.object();
        content.set("global", ruleset);
        accountData.putServerManaged(user, TYPE, content);
        compiled.put(user, PushRuleSet.compile(ruleset));
        customized.put(user, true);
    }

    /**
     * Where a new rule goes: next to {@code before}/{@code after} (user-defined rules only), else
     * first among the kind's user-defined rules, which outrank the server-default ones except
     * {@code .m.rule.master}.
     */
    private static int position(ArrayNode rules, RuleKind kind, String before, String after) {
        String anchor = before != null ? before : after;
        if (anchor != null) {
            int at = indexOf(rules, anchor);
            if (at < 0 || rules.get(at).path("default").asBoolean(false)) {
                throw new MatrixException(ErrCode.M_UNKNOWN, "before/after rule not found: " + anchor);
            }
            return before != null ? at : at + 1;
        }
        int at = 0;
        while (kind == RuleKind.OVERRIDE && at < rules.size()
                && rules.get(at).path("rule_id").asText().equals(".m.rule.master")) {
            at++;
        }
        return at;
    }

    private static RuleKind kind(String name) {
        return RuleKind.of(name).orElseThrow(() -> MatrixException.invalidParam("Unknown push rule kind: " + name));
    }

    private static ArrayNode rules(ObjectNode ruleset, RuleKind kind) {
        JsonNode rules = ruleset.get(kind.key());
        if (rules instanceof ArrayNode array) {
            return array;
        }
        return ruleset.putArray(kind.key());
    }

    private static ObjectNode find(ObjectNode ruleset, RuleKind kind, String ruleId) {
        ArrayNode rules = rules(ruleset, kind);
        int at = indexOf(rules, ruleId);
        if (at < 0) {
            throw MatrixException.notFound("The push rule was not found.");
        }
        return (ObjectNode) rules.get(at);
    }

    private static int indexOf(ArrayNode rules, String ruleId) {
        for (int i = 0; i < rules.size(); i++) {
            if (ruleId.equals(rules.get(i).path("rule_id").asText(null))) {
                return i;
            }
        }
        return -1;
    }
}
