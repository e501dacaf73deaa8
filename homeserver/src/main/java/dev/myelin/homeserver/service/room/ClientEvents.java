package dev.myelin.homeserver.service.room;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.EventId;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.Requester;
import dev.myelin.homeserver.service.EventCache;
import dev.myelin.homeserver.storage.StoredEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Turns stored events into the Client-Server API's event format: the client-visible keys, plus
 * {@code unsigned} with age, the sender's transaction ID (for the sending device only),
 * {@code prev_content} for replaced state, {@code redacted_because}, and the bundled
 * aggregations ({@code m.relations}) that {@link Aggregations} computes per batch.
 */
public final class ClientEvents {
    private final EventCache events;
    private final Aggregations aggregations;

    public ClientEvents(EventCache events) {
        this(events, Aggregations.NONE);
    }

    public ClientEvents(EventCache events, Aggregations aggregations) {
        this.events = events;
        this.aggregations = aggregations;
    }

    /** The event as {@code viewer} sees it; the viewer may be null (no transaction IDs). */
    public ObjectNode format(StoredEvent stored, Requester viewer) {
        return formatAll(List.of(stored), viewer).get(0);
    }

    /** Several events, with their bundled aggregations looked up once for the batch. */
    public List<ObjectNode> formatAll(Collection<StoredEvent> stored, Requester viewer) {
        Map<EventId, ObjectNode> bundles = aggregations.bundle(stored, viewer, e -> format(e, viewer, true));
        List<ObjectNode> out = new ArrayList<>(stored.size());
        for (StoredEvent e : stored) {
            ObjectNode event = format(e, viewer, true);
            ObjectNode bundle = bundles.get(e.pdu().eventId());
            if (bundle != null) {
                ((ObjectNode) event.get("unsigned")).set("m.relations", bundle);
            }
            out.add(event);
        }
        return out;
    }

    /** A state event stripped to what invitees see: type, state_key, sender, content. */
    public static ObjectNode stripped(Pdu pdu) {
        ObjectNode out = Json.object();
        out.put("type", pdu.type());
        out.put("state_key", pdu.stateKey());
        out.put("sender", pdu.sender().value());
        out.set("content", pdu.content());
        return out;
    }

    private ObjectNode format(StoredEvent stored, Requester viewer, boolean withRedactionReason) {
        Pdu pdu = stored.pdu();
        ObjectNode out = Json.object();
        out.set("content", pdu.content());
        out.put("event_id", pdu.eventId().value());
        out.put("origin_server_ts", pdu.originServerTs());
        out.put("room_id", pdu.roomId().value());
        out.put("sender", pdu.sender().value());
        if (pdu.isState()) {
            out.put("state_key", pdu.stateKey());
        }
        out.put("type", pdu.type());
        // Only an event that redacts can carry a top-level redacts; the copy of its JSON is not free.
        JsonNode redacts = pdu.redacts() == null ? null : pdu.json().get("redacts");
        if (redacts != null) {
            out.set("redacts", redacts);
        } else if (pdu.type().equals("m.room.redaction") && pdu.redacts() != null) {
            out.put("redacts", pdu.redacts().value());
        }
        ObjectNode unsigned = out.putObject("unsigned");
        unsigned.put("age", Math.max(0, System.currentTimeMillis() - pdu.originServerTs()));
        if (stored.txnId() != null && viewer != null && viewer.userId().equals(pdu.sender())
                && stored.senderDevice() != null && stored.senderDevice().equals(viewer.deviceId())) {
            unsigned.put("transaction_id", stored.txnId());
        }
        if (stored.prevStateId() != null) {
            unsigned.put("replaces_state", stored.prevStateId());
            events.get(EventId.of(stored.prevStateId())).ifPresent(prev -> {
                unsigned.set("prev_content", prev.pdu().content());
                unsigned.put("prev_sender", prev.pdu().sender().value());
            });
        }
        if (stored.redactedBy() != null && withRedactionReason) {
            events.get(EventId.of(stored.redactedBy()))
                    .ifPresent(because -> unsigned.set("redacted_because", format(because, viewer, false)));
        }
        return out;
    }
}
