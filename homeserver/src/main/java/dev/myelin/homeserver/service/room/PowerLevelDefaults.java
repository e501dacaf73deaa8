package dev.myelin.homeserver.service.room;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.Json;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The m.room.power_levels content a new room starts with. */
final class PowerLevelDefaults {
    private PowerLevelDefaults() {
    }

    static ObjectNode forNewRoom(UserId creator, List<UserId> fullPowerInvitees, JsonNode override) {
        ObjectNode content = Json.object();
        ObjectNode users = content.putObject("users");
        users.put(creator.value(), 100);
        for (UserId invitee : fullPowerInvitees) {
            users.put(invitee.value(), 100);
        }
        content.put("users_default", 0);
        ObjectNode events = content.putObject("events");
        for (Map.Entry<String, Integer> e : Map.of(
                "m.room.name", 50,
                "m.room.power_levels", 100,
                "m.room.history_visibility", 100,
                "m.room.canonical_alias", 50,
                "m.room.avatar", 50,
                "m.room.tombstone", 100,
                "m.room.server_acl", 100,
                "m.room.encryption", 100).entrySet()) {
            events.put(e.getKey(), e.getValue());
        }
        content.put("events_default", 0);
        content.put("state_default", 50);
        content.put("ban", 50);
        content.put("kick", 50);
        content.put("redact", 50);
        content.put("invite", 0);
        content.putObject("notifications").put("room", 50);
        if (override != null && override.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = override.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                content.set(field.getKey(), field.getValue().deepCopy());
            }
        }
        return content;
    }
}
