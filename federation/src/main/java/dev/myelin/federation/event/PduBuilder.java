package dev.myelin.federation.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import java.util.List;
import java.util.Objects;

/**
 * Builds new events: fills in the federation format for the room version, sets the content
 * hash, signs as the origin server and derives the event ID. One builder builds one event.
 *
 * <pre>{@code
 * Pdu pdu = PduBuilder.create(RoomVersion.V10)
 *         .roomId(room).sender(alice).type("m.room.message").content(content)
 *         .prevEvents(prev).authEvents(auth).depth(7).originServerTs(now)
 *         .origin(serverName).signingKey(key)
 *         .build();
 * }</pre>
 */
public final class PduBuilder {
    private final RoomVersion roomVersion;
    private RoomId roomId;
    private UserId sender;
    private String type;
    private String stateKey;
    private JsonNode content = JsonNodeFactory.instance.objectNode();
    private List<EventId> prevEvents = List.of();
    private List<EventId> authEvents = List.of();
    private long depth = -1;
    private long originServerTs = -1;
    private EventId redacts;
    private ServerName origin;
    private SigningKey signingKey;

    private PduBuilder(RoomVersion roomVersion) {
        this.roomVersion = Objects.requireNonNull(roomVersion, "roomVersion");
    }

    /** A builder for an event in a room of version {@code v}. */
    public static PduBuilder create(RoomVersion v) {
        return new PduBuilder(v);
    }

    public PduBuilder roomId(RoomId roomId) {
        this.roomId = roomId;
        return this;
    }

    public PduBuilder sender(UserId sender) {
        this.sender = sender;
        return this;
    }

    public PduBuilder type(String type) {
        this.type = type;
        return this;
    }

    /** The state key; null (the default) for a message event. */
    public PduBuilder stateKey(String stateKey) {
        this.stateKey = stateKey;
        return this;
    }

    /** The content object (copied). */
    public PduBuilder content(JsonNode content) {
        if (content == null || !content.isObject()) {
            throw new IllegalArgumentException("content must be a JSON object");
        }
        this.content = content;
        return this;
    }

    public PduBuilder prevEvents(List<EventId> prevEvents) {
        this.prevEvents = List.copyOf(prevEvents);
        return this;
    }

    public PduBuilder authEvents(List<EventId> authEvents) {
        this.authEvents = List.copyOf(authEvents);
        return this;
    }

    public PduBuilder depth(long depth) {
        this.depth = depth;
        return this;
    }

    public PduBuilder originServerTs(long originServerTs) {
        this.originServerTs = originServerTs;
        return this;
    }

    /** For {@code m.room.redaction}: written at the top level up to v10, in {@code content} from v11. */
    public PduBuilder redacts(EventId redacts) {
        this.redacts = redacts;
        return this;
    }

    /** The server that signs the event (normally the sender's server). */
    public PduBuilder origin(ServerName origin) {
        this.origin = origin;
        return this;
    }

    public PduBuilder signingKey(SigningKey signingKey) {
        this.signingKey = signingKey;
        return this;
    }

    /**
     * The event without {@code hashes} and {@code signatures}: the template that
     * {@code make_join}, {@code make_leave} and {@code make_knock} return.
     */
    public ObjectNode buildTemplate() {
        require(roomId, "roomId");
        require(sender, "sender");
        require(type, "type");
        if (depth < 0) {
            throw new IllegalStateException("depth is not set");
        }
        if (originServerTs < 0) {
            throw new IllegalStateException("originServerTs is not set");
        }
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode event = f.objectNode();
        event.set("auth_events", ids(authEvents));
        ObjectNode c = content.deepCopy();
        if (redacts != null && roomVersion.redactsInContent()) {
            c.put("redacts", redacts.value());
        }
        event.set("content", c);
        event.put("depth", depth);
        event.put("origin_server_ts", originServerTs);
        event.set("prev_events", ids(prevEvents));
        if (redacts != null && !roomVersion.redactsInContent()) {
            event.put("redacts", redacts.value());
        }
        event.put("room_id", roomId.value());
        event.put("sender", sender.value());
        if (stateKey != null) {
            event.put("state_key", stateKey);
        }
        event.put("type", type);
        return event;
    }

    /**
     * The hashed, signed and validated event.
     *
     * @throws IllegalStateException when a required input is missing
     * @throws PduFormatException when the result would not be a valid PDU (e.g. too large)
     */
    public Pdu build() {
        require(origin, "origin");
        require(signingKey, "signingKey");
        ObjectNode event = buildTemplate();
        byte[] signed;
        try {
            event.putObject("hashes").put("sha256", ContentHash.compute(event));
            signed = EventSigning.signInPlace(event, roomVersion, origin.value(), signingKey);
        } catch (IllegalArgumentException e) {
            // Content that has no canonical JSON form: floats, integers beyond 2^53.
            throw new PduFormatException(e.getMessage(), e);
        }
        byte[] canonical = PduFormat.check(event, roomVersion);
        // The signed bytes (redacted, without signatures and unsigned) are the reference hash input.
        EventId id = EventIds.fromReferenceHash(ContentHash.sha256(signed), roomVersion);
        return new Pdu(event, roomVersion, id, canonical);
    }

    private static ArrayNode ids(List<EventId> ids) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode(ids.size());
        for (EventId id : ids) {
            array.add(id.value());
        }
        return array;
    }

    private static void require(Object value, String name) {
        if (value == null) {
            throw new IllegalStateException(name + " is not set");
        }
    }
}
