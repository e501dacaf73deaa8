package dev.myelin.homeserver.service.push.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Looks up an event's property by a push-rule key: dot-separated field names into the event's
 * JSON, where {@code \.} is a literal dot and {@code \\} a literal backslash
 * ({@code content.m\.relates_to.rel_type}).
 */
final class EventProperties {
    private EventProperties() {
    }

    /** The key split into field names, escapes resolved. */
    static List<String> path(String key) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '\\' && i + 1 < key.length() && (key.charAt(i + 1) == '.' || key.charAt(i + 1) == '\\')) {
                current.append(key.charAt(++i));
            } else if (c == '.') {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return List.copyOf(parts);
    }

    /** The value at the path, or null when any step is missing or not an object. */
    static JsonNode lookup(JsonNode event, List<String> path) {
        JsonNode node = event;
        for (String field : path) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(field);
        }
        return node;
    }
}
