package dev.myelin.homeserver.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.EventId;

/**
 * One event's relation to another ("Forming relationships between events"): the
 * {@code m.relates_to} of its content when that names a {@code rel_type} and an {@code event_id}.
 * Replies ({@code m.in_reply_to} alone) are not relations in this sense.
 *
 * @param eventId        the relating (child) event
 * @param relatesTo      the event it relates to (the parent)
 * @param relType        {@code m.annotation}, {@code m.replace}, {@code m.thread}, {@code m.reference} or custom
 * @param aggregationKey an annotation's {@code key}, else null
 * @param roomId         the child's room
 * @param sender         the child's sender
 * @param type           the child's event type
 * @param stream         the child's position on the room event stream
 */
public record Relation(String eventId, String relatesTo, String relType, String aggregationKey, String roomId,
                       String sender, String type, long stream) {
    public static final String ANNOTATION = "m.annotation";
    public static final String REPLACE = "m.replace";
    public static final String THREAD = "m.thread";
    public static final String REFERENCE = "m.reference";

    /**
     * What an event's {@code m.relates_to} declares: a relation type, the related event and,
     * for annotations, the key.
     */
    public record Declared(String relType, EventId relatesTo, String key) {
        /** The relation {@code m.relates_to} declares, or null when it declares none (or a malformed one). */
        public static Declared of(JsonNode relatesTo) {
            if (relatesTo == null || !relatesTo.isObject()) {
                return null;
            }
            JsonNode relType = relatesTo.get("rel_type");
            JsonNode parent = relatesTo.get("event_id");
            if (relType == null || !relType.isTextual() || relType.textValue().isEmpty()
                    || parent == null || !parent.isTextual()) {
                return null;
            }
            EventId parentId;
            try {
                parentId = EventId.of(parent.textValue());
            } catch (IllegalArgumentException e) {
                return null;
            }
            JsonNode key = relatesTo.get("key");
            String aggregationKey = relType.textValue().equals(ANNOTATION) && key != null && key.isTextual()
                    ? key.textValue() : null;
            return new Declared(relType.textValue(), parentId, aggregationKey);
        }
    }

    /** The relation an event's content declares, or null when it declares none (or a malformed one). */
    public static Relation of(Pdu pdu, long stream) {
        Declared declared = Declared.of(pdu.content("m.relates_to"));
        if (declared == null) {
            return null;
        }
        return new Relation(pdu.eventId().value(), declared.relatesTo().value(), declared.relType(), declared.key(),
                pdu.roomId().value(), pdu.sender().value(), pdu.type(), stream);
    }

    /** Whether servers bundle this relation type into {@code unsigned.m.relations}. */
    public static boolean isBundled(String relType) {
        return relType.equals(REPLACE) || relType.equals(THREAD) || relType.equals(REFERENCE);
    }
}
