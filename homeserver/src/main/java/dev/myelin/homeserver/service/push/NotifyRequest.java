package dev.myelin.homeserver.service.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.event.Pdu;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.storage.PusherStore.Pusher;
import java.util.Set;

/**
 * The body of the Push Gateway API's {@code POST /_matrix/push/v1/notify} for one notification
 * and one pusher. With the pusher's {@code format} {@code event_id_only} it carries only the
 * event and room IDs, the priority, the counts and the device; otherwise also the event's type,
 * sender, content and the display names.
 */
final class NotifyRequest {
    /** Event types that should wake the device at once ({@code prio} high). */
    private static final Set<String> URGENT_TYPES = Set.of("m.room.message", "m.room.encrypted", "m.sticker",
            "m.call.invite");

    private NotifyRequest() {
    }

    static ObjectNode body(PushNotification notification, Pusher pusher) {
        Pdu event = notification.event().pdu();
        ObjectNode data = Json.readObject(pusher.data());
        boolean eventIdOnly = "event_id_only".equals(data.path("format").asText(null));
        data.remove("url");

        ObjectNode body = Json.object();
        ObjectNode n = body.putObject("notification");
        n.put("event_id", event.eventId().value());
        n.put("room_id", event.roomId().value());
        if (!eventIdOnly) {
            n.put("type", event.type());
            n.put("sender", event.sender().value());
            putIfPresent(n, "sender_display_name", notification.senderDisplayName());
            putIfPresent(n, "room_name", notification.roomName());
            if (event.isState() && event.type().equals("m.room.member")) {
                n.put("user_is_target", notification.user().value().equals(event.stateKey()));
            }
            if (!event.content().isEmpty()) {
                n.set("content", event.content());
            }
        }
        n.put("prio", isUrgent(notification) ? "high" : "low");
        ObjectNode counts = n.putObject("counts");
        if (notification.unreadCount() > 0) {
            counts.put("unread", notification.unreadCount());
        }
        ObjectNode device = n.putArray("devices").addObject();
        device.put("app_id", pusher.appId());
        device.put("pushkey", pusher.pushkey());
        device.put("pushkey_ts", pusher.pushkeyTs() / 1000);
        device.set("data", data);
        device.set("tweaks", notification.tweaks() == null ? Json.object() : notification.tweaks().deepCopy());
        return body;
    }

    /**
     * Messages, calls and invites of this user are high priority, and so is anything the push
     * rules make sound or highlight; the rest (other state changes) is low.
     */
    private static boolean isUrgent(PushNotification notification) {
        Pdu event = notification.event().pdu();
        if (URGENT_TYPES.contains(event.type())) {
            return true;
        }
        if (event.type().equals("m.room.member") && "invite".equals(event.membership())
                && notification.user().value().equals(event.stateKey())) {
            return true;
        }
        JsonNode tweaks = notification.tweaks();
        return tweaks != null && (tweaks.hasNonNull("sound") || tweaks.path("highlight").asBoolean(false));
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
