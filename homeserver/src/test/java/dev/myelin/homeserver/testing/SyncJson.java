package dev.myelin.homeserver.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reading parts of {@code /sync} and {@code /messages} answers in tests. */
public final class SyncJson {
    private SyncJson() {
    }

    /** A room's entry in a section ("join", "invite", "leave"); a MissingNode when it is absent. */
    public static JsonNode room(JsonNode sync, String section, String roomId) {
        return sync.path("rooms").path(section).path(roomId);
    }

    /** The items of {@code node.events} (or of {@code node} itself when it is an array). */
    public static List<JsonNode> events(JsonNode node) {
        JsonNode array = node.isArray() ? node : node.path("events");
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }

    public static List<JsonNode> timeline(JsonNode room) {
        return events(room.path("timeline"));
    }

    /** A room's ephemeral events of one type (m.receipt, m.typing). */
    public static List<JsonNode> ephemeral(JsonNode room, String type) {
        return events(room.path("ephemeral")).stream().filter(e -> e.path("type").asText().equals(type)).toList();
    }

    /** The m.presence events of a sync response sent by {@code userId}. */
    public static List<JsonNode> presence(JsonNode sync, String userId) {
        return events(sync.path("presence")).stream().filter(e -> e.path("sender").asText().equals(userId)).toList();
    }

    public static List<JsonNode> state(JsonNode room) {
        return events(room.path("state"));
    }

    public static List<String> ids(List<JsonNode> events) {
        return events.stream().map(e -> e.path("event_id").asText()).toList();
    }

    public static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.path("type").asText()).toList();
    }

    /** The {@code content.body} of each m.room.message, in order. */
    public static List<String> bodies(List<JsonNode> events) {
        return events.stream().filter(e -> e.path("type").asText().equals("m.room.message"))
                .map(e -> e.path("content").path("body").asText()).toList();
    }

    /** The state keys of the m.room.member events, in order. */
    public static List<String> members(List<JsonNode> events) {
        return events.stream().filter(e -> e.path("type").asText().equals("m.room.member"))
                .map(e -> e.path("state_key").asText()).toList();
    }

    public static Optional<JsonNode> find(List<JsonNode> events, String type, String stateKey) {
        return events.stream().filter(e -> e.path("type").asText().equals(type) && e.has("state_key")
                && e.path("state_key").asText().equals(stateKey)).findFirst();
    }

    public static Optional<JsonNode> byId(List<JsonNode> events, String eventId) {
        return events.stream().filter(e -> e.path("event_id").asText().equals(eventId)).findFirst();
    }
}
