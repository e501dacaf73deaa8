package dev.myelin.homeserver.service.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.event.PduBuilder;
import dev.myelin.federation.event.RoomVersion;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import dev.myelin.federation.transport.FederationException;
import java.util.ArrayList;
import java.util.List;

/**
 * Completes the event template of {@code make_join} / {@code make_leave} into this server's
 * signed member event: the template's prev_events, auth_events and depth, our content, now.
 */
final class MembershipTemplate {
    private MembershipTemplate() {
    }

    static Pdu complete(JsonNode template, RoomVersion version, RoomId roomId, UserId user, ObjectNode content,
                        ServerName self, SigningKey key) {
        if (!template.isObject() || !"m.room.member".equals(template.path("type").asText())
                || !user.value().equals(template.path("state_key").asText())
                || !user.value().equals(template.path("sender").asText())
                || !roomId.value().equals(template.path("room_id").asText())) {
            throw new FederationException(502, "M_BAD_JSON", "the resident server returned an unusable event template");
        }
        try {
            List<EventId> prev = new ArrayList<>();
            template.path("prev_events").forEach(id -> prev.add(EventId.of(id.asText())));
            List<EventId> auth = new ArrayList<>();
            template.path("auth_events").forEach(id -> auth.add(EventId.of(id.asText())));
            return PduBuilder.create(version).roomId(roomId).sender(user).type("m.room.member").stateKey(user.value())
                    .content(content).prevEvents(prev).authEvents(auth).depth(template.path("depth").asLong(1))
                    .originServerTs(System.currentTimeMillis()).origin(self).signingKey(key).build();
        } catch (IllegalArgumentException e) {
            throw new FederationException(502, "M_BAD_JSON", "the event template is malformed: " + e.getMessage());
        }
    }
}
