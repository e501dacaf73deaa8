package dev.myelin.federation.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An immutable persistent data unit: a room event in the federation format of room versions
 * 3+ (no {@code event_id} key; the ID is the reference hash). The JSON is copied on the way in
 * and out, so a {@code Pdu} can be shared freely between threads.
 */
public final class Pdu {
    private final ObjectNode json;
    private final RoomVersion roomVersion;
    private final EventId eventId;
    private final String canonicalJson;
    private final RoomId roomId;
    private final UserId sender;
    private final String type;
    private final String stateKey;
    private final long depth;
    private final long originServerTs;
    private final List<EventId> prevEventIds;
    private final List<EventId> authEventIds;
    private final EventId redacts;

    /** {@code json} must be a private, validated copy; {@code canonical} its canonical JSON. */
    Pdu(ObjectNode json, RoomVersion v, EventId eventId, byte[] canonical) {
        this.json = json;
        this.roomVersion = v;
        this.eventId = eventId;
        this.canonicalJson = new String(canonical, StandardCharsets.UTF_8);
        this.roomId = RoomId.of(json.get("room_id").textValue());
        this.sender = UserId.of(json.get("sender").textValue());
        this.type = json.get("type").textValue();
        JsonNode sk = json.get("state_key");
        this.stateKey = sk == null ? null : sk.textValue();
        this.depth = json.get("depth").longValue();
        this.originServerTs = json.get("origin_server_ts").longValue();
        this.prevEventIds = PduFormat.eventIds(json, "prev_events");
        this.authEventIds = PduFormat.eventIds(json, "auth_events");
        JsonNode r = v.redactsInContent() ? json.get("content").get("redacts") : json.get("redacts");
        this.redacts = r == null ? null : PduFormat.eventId(r, "redacts");
    }

    /**
     * Validates a PDU received over federation (or loaded from storage) and computes its event ID.
     * An {@code event_id} key, which room versions 3+ do not have on the wire, is dropped first.
     *
     * @throws PduFormatException when required keys are missing or mistyped, values are not
     *     canonical JSON (non-integer or out-of-range numbers), or sizes exceed the spec's limits
     */
    public static Pdu fromJson(ObjectNode json, RoomVersion v) {
        ObjectNode copy = json.deepCopy();
        copy.remove("event_id");
        byte[] canonical = PduFormat.check(copy, v);
        EventId id;
        try {
            id = EventIds.compute(copy, v);
        } catch (IllegalArgumentException e) {
            throw new PduFormatException("cannot compute the event ID: " + e.getMessage(), e);
        }
        return new Pdu(copy, v, id, canonical);
    }

    public EventId eventId() {
        return eventId;
    }

    public RoomVersion roomVersion() {
        return roomVersion;
    }

    public RoomId roomId() {
        return roomId;
    }

    public UserId sender() {
        return sender;
    }

    public String type() {
        return type;
    }

    /** The state key, or null for a message (non-state) event. */
    public String stateKey() {
        return stateKey;
    }

    public boolean isState() {
        return stateKey != null;
    }

    /** Whether this is a state event of the given type and state key. */
    public boolean isState(String type, String stateKey) {
        return this.type.equals(type) && stateKey.equals(this.stateKey);
    }

    /** A copy of {@code content}. */
    public ObjectNode content() {
        return ((ObjectNode) json.get("content")).deepCopy();
    }

    /** A copy of one value of {@code content}, or null when absent. */
    public JsonNode content(String key) {
        JsonNode value = json.get("content").get(key);
        return value == null ? null : value.deepCopy();
    }

    /** A string value of {@code content}, or null when absent or not a string. */
    public String contentString(String key) {
        JsonNode value = json.get("content").get(key);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    /** {@code content.membership} of an {@code m.room.member} event, else null. */
    public String membership() {
        return type.equals("m.room.member") ? contentString("membership") : null;
    }

    public long depth() {
        return depth;
    }

    public long originServerTs() {
        return originServerTs;
    }

    public List<EventId> prevEventIds() {
        return prevEventIds;
    }

    public List<EventId> authEventIds() {
        return authEventIds;
    }

    /** The event an {@code m.room.redaction} redacts (top level up to v10, {@code content.redacts} from v11), or null. */
    public EventId redacts() {
        return redacts;
    }

    /** A copy of the federation JSON, without {@code event_id}. */
    public ObjectNode json() {
        return json.deepCopy();
    }

    /** The canonical JSON of {@link #json()}, as it can be stored and sent. */
    public String canonicalJson() {
        return canonicalJson;
    }

    /** The redacted form of this event (same event ID), per its room version's redaction rules. */
    public Pdu redacted() {
        ObjectNode r = Redaction.redact(json, roomVersion);
        r.remove("event_id");
        return new Pdu(r, roomVersion, eventId, dev.myelin.federation.json.CanonicalJson.encode(r));
    }

    /** Whether {@code hashes.sha256} matches the content (a mismatch means the event must be redacted). */
    public boolean contentHashMatches() {
        return ContentHash.matches(json);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pdu p && p.eventId.equals(eventId);
    }

    @Override
    public int hashCode() {
        return eventId.hashCode();
    }

    @Override
    public String toString() {
        return "Pdu[" + eventId + " " + type + (stateKey == null ? "" : " [" + stateKey + "]") + " from " + sender + "]";
    }
}
