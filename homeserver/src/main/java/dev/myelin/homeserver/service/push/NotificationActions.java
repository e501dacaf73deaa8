package dev.myelin.homeserver.service.push;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.service.push.rules.PushActions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Stored action lists (JSON text) read back as {@link PushActions}, each distinct list parsed once. */
final class NotificationActions {
    private static final int MAX_CACHED = 10_000;
    private static final Map<String, PushActions> PARSED = new ConcurrentHashMap<>();

    private NotificationActions() {
    }

    static PushActions of(String json) {
        PushActions known = PARSED.get(json);
        if (known == null) {
            known = PushActions.of((ArrayNode) Json.readTree(json));
            if (PARSED.size() < MAX_CACHED) {
                PARSED.put(json, known);
            }
        }
        return known;
    }

    static boolean highlights(String json) {
        return of(json).highlight();
    }
}
