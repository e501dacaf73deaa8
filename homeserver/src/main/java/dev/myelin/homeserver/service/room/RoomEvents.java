package dev.myelin.homeserver.service.room;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.Requester;
import dev.myelin.homeserver.service.directory.CanonicalAlias;
import dev.myelin.homeserver.service.relations.RelationChecks;
import dev.myelin.homeserver.storage.Relation;
import dev.myelin.homeserver.storage.StoredEvent;

/** Sending message events, state events and redactions into a room as a client. */
public final class RoomEvents {
    private final LiveRooms rooms;
    private final EventWriter writer;
    private final CanonicalAlias canonicalAlias;
    private final RedactionChecks redactions;
    private final RelationChecks relations;

    public RoomEvents(LiveRooms rooms, EventWriter writer, CanonicalAlias canonicalAlias, RedactionChecks redactions,
                      RelationChecks relations) {
        this.rooms = rooms;
        this.writer = writer;
        this.canonicalAlias = canonicalAlias;
        this.redactions = redactions;
        this.relations = relations;
    }

    /** {@code PUT /rooms/{roomId}/send/{eventType}/{txnId}}: idempotent per device and txnId. */
    public EventId send(Requester requester, RoomId roomId, String type, String txnId, ObjectNode content) {
        checkType(type);
        if (type.equals("m.room.redaction") && content.path("redacts").isTextual()) {
            EventId target;
            try {
                target = EventId.of(content.path("redacts").asText());
            } catch (IllegalArgumentException e) {
                throw MatrixException.invalidParam("Invalid event ID in redacts");
            }
            return redact(requester, roomId, target, content, txnId);
        }
        LiveRoom room = room(roomId);
        EventDraft draft = EventDraft.message(requester.userId(), type, content, requester.deviceId(), txnId);
        Relation.Declared relation = RelationChecks.declared(content);
        if (relation == null) {
            return writer.send(room, draft).pdu().eventId();
        }
        room.lock().lock(); // the relation check and the write are one step for the room
        try {
            relations.beforeSend(requester, type, relation, txnId);
            return writer.send(room, draft).pdu().eventId();
        } finally {
            room.lock().unlock();
        }
    }

    /** {@code PUT /rooms/{roomId}/state/{eventType}/{stateKey}}. */
    public EventId setState(Requester requester, RoomId roomId, String type, String stateKey, ObjectNode content) {
        checkType(type);
        if (stateKey.length() > 255) {
            throw MatrixException.invalidParam("State key too long");
        }
        if (type.equals("m.room.create")) {
            throw MatrixException.forbidden("A room's create event cannot be replaced");
        }
        ServerAcls.checkContent(type, content);
        LiveRoom room = room(roomId);
        if (type.equals("m.room.canonical_alias") && stateKey.isEmpty()) {
            canonicalAlias.check(room, content);
        }
        return writer.send(room, new EventDraft(requester.userId(), type, stateKey, content, requester.deviceId(),
                null, null)).pdu().eventId();
    }

    /** {@code PUT /rooms/{roomId}/redact/{eventId}/{txnId}}. */
    public EventId redact(Requester requester, RoomId roomId, EventId target, ObjectNode content, String txnId) {
        LiveRoom room = room(roomId);
        redactions.check(room, requester.userId(), target);
        ObjectNode body = content.deepCopy();
        if (room.version().redactsInContent()) {
            body.put("redacts", target.value());
        } else {
            body.remove("redacts");
        }
        return writer.send(room, new EventDraft(requester.userId(), "m.room.redaction", null, body,
                requester.deviceId(), txnId, target)).pdu().eventId();
    }

    private LiveRoom room(RoomId roomId) {
        return rooms.get(roomId).orElseThrow(() -> MatrixException.notFound("Unknown room " + roomId));
    }

    private static void checkType(String type) {
        if (type == null || type.isEmpty() || type.length() > 255) {
            throw MatrixException.invalidParam("Invalid event type");
        }
    }
}
