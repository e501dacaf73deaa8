package dev.myelin.homeserver.service.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.homeserver.http.MatrixException;
import java.util.List;

/** A sync filter: what of each section of {@code /sync} the client wants. */
public record SyncFilter(EventFilter accountData, EventFilter presence, EventFilter rooms, EventFilter timeline,
                         EventFilter state, EventFilter ephemeral, EventFilter roomAccountData,
                         boolean includeLeave, boolean unreadThreadNotifications) {
    public static final SyncFilter DEFAULT = parse(null);

    public static SyncFilter parse(JsonNode node) {
        if (node != null && !node.isNull() && !node.isObject()) {
            throw MatrixException.badJson("A filter must be a JSON object");
        }
        JsonNode root = node == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : node;
        JsonNode room = root.path("room");
        if (!room.isMissingNode() && !room.isObject()) {
            throw MatrixException.badJson("Filter field room must be an object");
        }
        EventFilter rooms = new EventFilter(null, List.of(), List.of(), List.of(),
                List.of(), EventFilter.strings(room, "rooms"), EventFilter.strings(room, "not_rooms"), false);
        return new SyncFilter(EventFilter.parse(root.get("account_data")), EventFilter.parse(root.get("presence")),
                rooms, EventFilter.parse(room.get("timeline")), EventFilter.parse(room.get("state")),
                EventFilter.parse(room.get("ephemeral")), EventFilter.parse(room.get("account_data")),
                room.path("include_leave").asBoolean(false),
                room.path("timeline").path("unread_thread_notifications").asBoolean(false));
    }
}
