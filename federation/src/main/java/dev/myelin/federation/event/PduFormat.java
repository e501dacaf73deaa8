package dev.myelin.federation.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import dev.myelin.federation.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Format checks of PDUs (room versions 3+ event format and the server-server "Size limits"). */
final class PduFormat {
    /** The largest event, as canonical JSON in the federation format including signatures. */
    static final int MAX_EVENT_BYTES = 65536;
    /** The largest {@code sender}, {@code room_id}, {@code state_key}, {@code type} and event ID. */
    static final int MAX_ID_BYTES = 255;

    private PduFormat() {
    }

    /** Checks {@code event}; returns its canonical JSON. */
    static byte[] check(ObjectNode event, RoomVersion v) {
        if (v.serverGeneratedEventIds()) {
            throw new PduFormatException("room version " + v.id() + " is not supported");
        }
        string(event, "room_id", true, true);
        string(event, "sender", true, true);
        string(event, "type", true, true);
        string(event, "state_key", false, true);
        object(event, "content", true);
        object(event, "hashes", true);
        object(event, "signatures", true);
        object(event, "unsigned", false);
        if (integer(event, "depth") < 0) {
            throw new PduFormatException("'depth' is negative");
        }
        integer(event, "origin_server_ts");
        eventIds(event, "prev_events");
        eventIds(event, "auth_events");
        if (event.has("redacts")) {
            eventId(event.get("redacts"), "redacts");
        }
        if (v.redactsInContent() && event.get("content").has("redacts")) {
            eventId(event.get("content").get("redacts"), "content.redacts");
        }
        byte[] canonical;
        try {
            canonical = CanonicalJson.encode(event);
        } catch (IllegalArgumentException e) {
            throw new PduFormatException("event is not valid canonical JSON: " + e.getMessage(), e);
        }
        if (canonical.length > MAX_EVENT_BYTES) {
            throw new PduTooLargeException("event is " + canonical.length + " bytes, more than " + MAX_EVENT_BYTES);
        }
        return canonical;
    }

    static String string(ObjectNode event, String key, boolean required, boolean limited) {
        JsonNode node = event.get(key);
        if (node == null) {
            if (required) {
                throw new PduFormatException("missing '" + key + "'");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw new PduFormatException("'" + key + "' is not a string");
        }
        String value = node.textValue();
        if (limited) {
            checkLength(key, value);
        }
        if (key.equals("room_id") || key.equals("sender")) {
            try {
                if (key.equals("room_id")) {
                    RoomId.of(value);
                } else {
                    UserId.of(value);
                }
            } catch (IllegalArgumentException e) {
                throw new PduFormatException("'" + key + "' is invalid: " + e.getMessage(), e);
            }
        }
        return value;
    }

    private static void checkLength(String key, String value) {
        // UTF-8 length is at most 3 bytes per UTF-16 char; only measure when it could exceed the limit.
        if (value.length() * 3 > MAX_ID_BYTES && value.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
            throw new PduFormatException("'" + key + "' is longer than " + MAX_ID_BYTES + " bytes");
        }
    }

    private static void object(ObjectNode event, String key, boolean required) {
        JsonNode node = event.get(key);
        if (node == null) {
            if (required) {
                throw new PduFormatException("missing '" + key + "'");
            }
        } else if (!node.isObject()) {
            throw new PduFormatException("'" + key + "' is not an object");
        }
    }

    static long integer(ObjectNode event, String key) {
        JsonNode node = event.get(key);
        if (node == null) {
            throw new PduFormatException("missing '" + key + "'");
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new PduFormatException("'" + key + "' is not an integer");
        }
        return node.longValue();
    }

    static List<EventId> eventIds(ObjectNode event, String key) {
        JsonNode node = event.get(key);
        if (node == null) {
            throw new PduFormatException("missing '" + key + "'");
        }
        if (!node.isArray()) {
            throw new PduFormatException("'" + key + "' is not an array");
        }
        List<EventId> ids = new ArrayList<>(node.size());
        for (JsonNode element : node) {
            ids.add(eventId(element, key));
        }
        return List.copyOf(ids);
    }

    static EventId eventId(JsonNode node, String key) {
        if (!node.isTextual()) {
            throw new PduFormatException("'" + key + "' holds a non-string event ID");
        }
        checkLength(key, node.textValue());
        try {
            return EventId.of(node.textValue());
        } catch (IllegalArgumentException e) {
            throw new PduFormatException("'" + key + "' holds an invalid event ID: " + node.textValue(), e);
        }
    }
}
