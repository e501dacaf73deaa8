package dev.myelin.homeserver.service.push.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the members of one event share while their rules are evaluated: the results of the
 * conditions that do not depend on the user, and the event's body in lower case. Used by one
 * thread at a time.
 */
public final class EventMemo {
    private static final List<String> BODY = List.of("content", "body");

    private final Map<PushCondition, Boolean> results = new IdentityHashMap<>();
    private String lowerBody;
    private boolean bodyRead;

    Boolean result(PushCondition condition) {
        return results.get(condition);
    }

    void remember(PushCondition condition, boolean result) {
        results.put(condition, result);
    }

    /** {@code content.body} in lower case, or null when it is not a string. */
    String lowerBody(JsonNode event) {
        if (!bodyRead) {
            JsonNode body = EventProperties.lookup(event, BODY);
            lowerBody = body != null && body.isTextual() ? body.textValue().toLowerCase(Locale.ROOT) : null;
            bodyRead = true;
        }
        return lowerBody;
    }
}
