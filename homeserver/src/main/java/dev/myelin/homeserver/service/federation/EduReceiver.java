package dev.myelin.homeserver.service.federation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.service.ephemeral.PresenceService;
import dev.myelin.homeserver.service.ephemeral.ReceiptService;
import dev.myelin.homeserver.service.ephemeral.ToDeviceMessages;
import dev.myelin.homeserver.service.ephemeral.TypingService;
import dev.myelin.homeserver.service.room.ServerAcls;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Applies the EDUs of a received transaction: typing notices, read receipts and presence of the
 * origin's own users. A user of another server, a room the server's ACL denies or a malformed
 * EDU is skipped; EDUs never fail a transaction. To-device messages go to the local devices they
 * name; device-list and signing-key updates are dropped: this server keeps no device keys yet.
 */
public final class EduReceiver {
    private static final Logger LOG = Logger.getLogger(EduReceiver.class.getName());

    private final TypingService typing;
    private final ReceiptService receipts;
    private final PresenceService presence;
    private final ServerAcls acls;
    private final ToDeviceMessages toDevice;

    public EduReceiver(TypingService typing, ReceiptService receipts, PresenceService presence, ServerAcls acls,
                       ToDeviceMessages toDevice) {
        this.toDevice = toDevice;
        this.typing = typing;
        this.receipts = receipts;
        this.presence = presence;
        this.acls = acls;
    }

    public void receive(ServerName origin, JsonNode edu) {
        JsonNode content = edu.path("content");
        try {
            switch (edu.path("edu_type").asText("")) {
                case "m.typing" -> typing(origin, content);
                case "m.receipt" -> receipts(origin, content);
                case "m.presence" -> presence(origin, content);
                case "m.direct_to_device" -> toDevice.receive(origin, content);
                default -> {
                    // m.device_list_update, m.signing_key_update: no end-to-end encryption keys yet
                }
            }
        } catch (IllegalArgumentException | MatrixException e) {
            LOG.fine("skipping an EDU from " + origin + ": " + e.getMessage());
        } catch (RuntimeException e) {
            // An EDU never fails the transaction that carries it.
            LOG.log(java.util.logging.Level.WARNING, "failed to apply an EDU from " + origin, e);
        }
    }

    private void typing(ServerName origin, JsonNode content) {
        RoomId roomId = RoomId.of(content.path("room_id").asText(""));
        UserId user = originUser(origin, content.path("user_id").asText(""));
        if (user != null && acls.isAllowed(roomId, origin)) {
            typing.set(user, roomId, content.path("typing").asBoolean(false), null);
        }
    }

    /** {@code {roomId: {"m.read": {userId: {"event_ids": [...], "data": {"ts", "thread_id"}}}}}}. */
    private void receipts(ServerName origin, JsonNode content) {
        for (Map.Entry<String, JsonNode> room : content.properties()) {
            RoomId roomId = RoomId.of(room.getKey());
            if (!acls.isAllowed(roomId, origin)) {
                continue;
            }
            for (Map.Entry<String, JsonNode> user : room.getValue().path(ReceiptService.READ).properties()) {
                UserId userId = originUser(origin, user.getKey());
                if (userId == null || !user.getValue().isObject()) {
                    continue;
                }
                JsonNode thread = user.getValue().path("data").path("thread_id");
                for (JsonNode eventId : user.getValue().path("event_ids")) {
                    try {
                        receipts.receipt(userId, roomId, ReceiptService.READ, EventId.of(eventId.asText()),
                                thread.isMissingNode() ? null : thread);
                    } catch (MatrixException | IllegalArgumentException e) {
                        LOG.fine("skipping a receipt from " + origin + ": " + e.getMessage());
                    }
                }
            }
        }
    }

    /** {@code {"push": [{"user_id", "presence", "status_msg", "last_active_ago", "currently_active"}]}}. */
    private void presence(ServerName origin, JsonNode content) {
        for (JsonNode update : content.path("push")) {
            UserId user = originUser(origin, update.path("user_id").asText(""));
            if (user != null) {
                try {
                    presence.setRemote(user, update.path("presence").asText(""),
                            update.path("status_msg").isTextual() ? update.path("status_msg").asText() : null,
                            update.path("last_active_ago").asLong(0));
                } catch (MatrixException e) {
                    LOG.fine("skipping presence from " + origin + ": " + e.getMessage());
                }
            }
        }
    }

    /** The user named, if it is one of the origin's own users. */
    private static UserId originUser(ServerName origin, String userId) {
        if (!UserId.isValid(userId)) {
            return null;
        }
        UserId user = UserId.of(userId);
        return user.server().equals(origin) ? user : null;
    }
}
