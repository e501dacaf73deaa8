package dev.myelin.federation.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The redaction algorithm (room version specifications, "Redactions"): strips an event down to
 * the keys that the protocol needs, per room version. Used for redacted events, and as the
 * basis of event signatures and reference hashes.
 */
public final class Redaction {
    /** Top-level keys kept in room versions 1-10. */
    private static final Set<String> TOP_LEVEL_V1 = Set.of("event_id", "type", "room_id", "sender",
            "state_key", "content", "hashes", "signatures", "depth", "prev_events", "prev_state",
            "auth_events", "origin", "origin_server_ts", "membership");
    /** Top-level keys kept from room version 11 ({@code origin}, {@code membership}, {@code prev_state} go). */
    private static final Set<String> TOP_LEVEL_V11 = Set.of("event_id", "type", "room_id", "sender",
            "state_key", "content", "hashes", "signatures", "depth", "prev_events", "auth_events",
            "origin_server_ts");

    private Redaction() {
    }

    /** Returns a redacted copy of {@code event} under the rules of room version {@code v}. */
    public static ObjectNode redact(ObjectNode event, RoomVersion v) {
        Set<String> keep = v.v11Redaction() ? TOP_LEVEL_V11 : TOP_LEVEL_V1;
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> e : event.properties()) {
            if (keep.contains(e.getKey()) && !e.getKey().equals("content")) {
                out.set(e.getKey(), e.getValue().deepCopy());
            }
        }
        JsonNode type = event.get("type");
        JsonNode content = event.get("content");
        if (content != null && content.isObject()) {
            out.set("content", redactContent(type != null && type.isTextual() ? type.textValue() : "",
                    (ObjectNode) content, v));
        } else if (content != null) {
            out.set("content", content.deepCopy());
        }
        return out;
    }

    /** The content keys that survive redaction of an event of {@code type} in room version {@code v}. */
    static ObjectNode redactContent(String type, ObjectNode content, RoomVersion v) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        switch (type) {
            case "m.room.member" -> {
                copy(content, out, List.of("membership"));
                if (v.joinAuthorisedViaKeptOnRedaction()) {
                    copy(content, out, List.of("join_authorised_via_users_server"));
                }
                if (v.v11Redaction()) {
                    JsonNode invite = content.get("third_party_invite");
                    if (invite != null && invite.isObject() && invite.has("signed")) {
                        out.putObject("third_party_invite").set("signed", invite.get("signed").deepCopy());
                    }
                }
            }
            case "m.room.create" -> {
                if (v.v11Redaction()) {
                    return content.deepCopy();
                }
                copy(content, out, List.of("creator"));
            }
            case "m.room.join_rules" -> {
                copy(content, out, List.of("join_rule"));
                if (v.restrictedJoinAllowed()) {
                    copy(content, out, List.of("allow"));
                }
            }
            case "m.room.power_levels" -> {
                copy(content, out, List.of("ban", "events", "events_default", "kick", "redact",
                        "state_default", "users", "users_default"));
                if (v.v11Redaction()) {
                    copy(content, out, List.of("invite"));
                }
            }
            case "m.room.aliases" -> {
                if (v.specialCaseAliases()) {
                    copy(content, out, List.of("aliases"));
                }
            }
            case "m.room.history_visibility" -> copy(content, out, List.of("history_visibility"));
            case "m.room.redaction" -> {
                if (v.v11Redaction()) {
                    copy(content, out, List.of("redacts"));
                }
            }
            default -> {
                // every content key is removed
            }
        }
        return out;
    }

    private static void copy(ObjectNode from, ObjectNode to, List<String> keys) {
        for (String key : keys) {
            JsonNode value = from.get(key);
            if (value != null) {
                to.set(key, value.deepCopy());
            }
        }
    }
}
