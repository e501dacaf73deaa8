package dev.myelin.homeserver.service.push.rules;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What conditions look at besides the rules themselves: the event, the room and the user the
 * rules belong to.
 *
 * @param event                 the event in federation JSON ({@code type}, {@code content}, ...)
 * @param memberCount           the room's joined members
 * @param displayName           the user's display name in the room, or null
 * @param senderPowerLevel      the sender's power level in the room
 * @param notificationLevels    {@code notifications} of the room's power levels, or null
 * @param memo                  results of the conditions that do not depend on the user, shared
 *                              by the contexts of one event's members (single-threaded), or null
 */
public record PushContext(JsonNode event, int memberCount, String displayName, long senderPowerLevel,
                          JsonNode notificationLevels, EventMemo memo) {
    public PushContext(JsonNode event, int memberCount, String displayName, long senderPowerLevel,
                       JsonNode notificationLevels) {
        this(event, memberCount, displayName, senderPowerLevel, notificationLevels, null);
    }

    /** A memo for the members of one event. */
    public static EventMemo newMemo() {
        return new EventMemo();
    }

    /** {@code content.body} in lower case (computed once per event when there is a memo), or null. */
    String lowerBody() {
        if (memo != null) {
            return memo.lowerBody(event);
        }
        return new EventMemo().lowerBody(event);
    }

    /** The condition's result, computed once per event for conditions that do not depend on the user. */
    boolean holds(PushCondition condition) {
        if (memo == null || condition instanceof PushCondition.ContainsDisplayName) {
            return condition.matches(this);
        }
        Boolean known = memo.result(condition);
        if (known == null) {
            known = condition.matches(this);
            memo.remember(condition, known);
        }
        return known;
    }

    /** The power level needed to trigger a notification of this kind ({@code room}: 50 by default). */
    long notificationLevel(String key) {
        JsonNode level = notificationLevels == null ? null : notificationLevels.get(key);
        if (level != null && level.isIntegralNumber()) {
            return level.longValue();
        }
        if (level != null && level.isTextual()) {
            try {
                return Long.parseLong(level.textValue().trim());
            } catch (NumberFormatException ignored) {
                // fall through to the default
            }
        }
        return 50;
    }
}
