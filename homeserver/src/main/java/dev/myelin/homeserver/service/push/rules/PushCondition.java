package dev.myelin.homeserver.service.push.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** One condition of a push rule, compiled from its JSON; all of a rule's conditions must hold. */
sealed interface PushCondition {
    boolean matches(PushContext context);

    /** A condition of a kind this server does not know: it never matches, so its rule never applies. */
    record Unknown() implements PushCondition {
        @Override
        public boolean matches(PushContext context) {
            return false;
        }
    }

    /** {@code event_match}: a string property matches the glob as a whole, ignoring case. */
    record EventMatch(List<String> path, Pattern pattern) implements PushCondition {
        @Override
        public boolean matches(PushContext context) {
            JsonNode value = EventProperties.lookup(context.event(), path);
            return value != null && value.isTextual() && pattern.matcher(value.textValue()).matches();
        }
    }

    /**
     * A content rule's pattern: matches words of {@code content.body}. A pattern without
     * wildcards ({@code word}, lower case) is looked up directly, else the glob ({@code pattern}).
     */
    record BodyWords(String word, Pattern pattern) implements PushCondition {
        static BodyWords of(String glob) {
            boolean plain = glob.indexOf('*') < 0 && glob.indexOf('?') < 0;
            return new BodyWords(plain ? glob.toLowerCase(Locale.ROOT) : null, plain ? null : Glob.words(glob));
        }

        @Override
        public boolean matches(PushContext context) {
            String body = context.lowerBody();
            if (body == null) {
                return false;
            }
            return word != null ? !word.isEmpty() && containsWord(body, word) : pattern.matcher(body).find();
        }
    }

    /** {@code event_property_is}: the property equals the value exactly (string, integer, boolean or null). */
    record EventPropertyIs(List<String> path, JsonNode value) implements PushCondition {
        @Override
        public boolean matches(PushContext context) {
            JsonNode actual = EventProperties.lookup(context.event(), path);
            return actual != null && sameValue(actual, value);
        }
    }

    /** {@code event_property_contains}: the property is an array holding the value. */
    record EventPropertyContains(List<String> path, JsonNode value) implements PushCondition {
        @Override
        public boolean matches(PushContext context) {
            JsonNode actual = EventProperties.lookup(context.event(), path);
            if (actual == null || !actual.isArray()) {
                return false;
            }
            for (JsonNode item : actual) {
                if (sameValue(item, value)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code contains_display_name}: the body holds the user's display name as a whole word. */
    record ContainsDisplayName() implements PushCondition {

        @Override
        public boolean matches(PushContext context) {
            String name = context.displayName();
            String body = context.lowerBody();
            if (name == null || name.isBlank() || body == null) {
                return false;
            }
            return containsWord(body, name.toLowerCase(Locale.ROOT));
        }
    }

    /** {@code room_member_count}: compares the joined members with {@code is} ({@code 2}, {@code >=10}, ...). */
    record RoomMemberCount(String operator, long count) implements PushCondition {
        static PushCondition parse(String is) {
            if (is == null) {
                return new Unknown();
            }
            String text = is.trim();
            String operator = "==";
            for (String op : List.of("==", "<=", ">=", "<", ">")) {
                if (text.startsWith(op)) {
                    operator = op;
                    text = text.substring(op.length()).trim();
                    break;
                }
            }
            try {
                return new RoomMemberCount(operator, Long.parseLong(text));
            } catch (NumberFormatException e) {
                return new Unknown();
            }
        }

        @Override
        public boolean matches(PushContext context) {
            long members = context.memberCount();
            return switch (operator) {
                case "<" -> members < count;
                case ">" -> members > count;
                case "<=" -> members <= count;
                case ">=" -> members >= count;
                default -> members == count;
            };
        }
    }

    /** {@code sender_notification_permission}: the sender's power level reaches {@code notifications.<key>}. */
    record SenderNotificationPermission(String key) implements PushCondition {
        @Override
        public boolean matches(PushContext context) {
            return context.senderPowerLevel() >= context.notificationLevel(key);
        }
    }

    /** Whether {@code word} occurs in {@code text} bounded by its ends or non-word characters. */
    static boolean containsWord(String text, String word) {
        for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
            int end = at + word.length();
            if ((at == 0 || !isWordChar(text.codePointBefore(at)))
                    && (end == text.length() || !isWordChar(text.codePointAt(end)))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isWordChar(int codePoint) {
        return Character.isLetterOrDigit(codePoint) || codePoint == '_';
    }

    /** Whether two JSON scalars are the same value; numbers compare as integers. */
    private static boolean sameValue(JsonNode a, JsonNode b) {
        if (a.isIntegralNumber() && b.isIntegralNumber()) {
            return a.longValue() == b.longValue();
        }
        if (a.isTextual() || a.isBoolean() || a.isNull()) {
            return a.equals(b);
        }
        return false;
    }
}
