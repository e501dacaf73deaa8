package dev.myelin.homeserver.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.federation.auth.AuthEvents;
import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.event.PduBuilder;
import dev.myelin.federation.event.RoomVersion;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import dev.myelin.federation.json.CanonicalJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A room whose events are built as real signed PDUs and persisted through an {@link EventStore}
 * the way the homeserver's {@code EventWriter} fills {@link NewEvent}: linear prev_events,
 * auth events selected from the current state, a state group per state event that is a delta
 * on the previous group or, at the start and when the delta chain is long, a full snapshot.
 * It remembers what it wrote, so tests can compare the store's answers with the expected ones.
 * Stream positions and state group IDs continue from the store's maxima.
 */
final class RoomHistory {
    static final ServerName SERVER = ServerName.of("example.org");
    static final RoomVersion VERSION = RoomVersion.V10;
    private static final SigningKey KEY = SigningKey.generate("test");

    private final EventStore store;
    private final RoomId roomId;
    private final int maxChainLength;
    private final Map<StateKey, Pdu> state = new HashMap<>();
    private final Map<Long, Map<StateKey, EventId>> stateByGroup = new HashMap<>();
    private final Map<EventId, StoredEvent> written = new LinkedHashMap<>();
    private List<EventId> extremities = List.of();
    private long maxDepth;
    private long stateGroup;
    private int chainLength;
    private long lastStream;
    private long clock = 1_700_000_000_000L;

    private RoomHistory(EventStore store, RoomId roomId, int maxChainLength) {
        this.store = store;
        this.roomId = roomId;
        this.maxChainLength = maxChainLength;
    }

    /** A new room: its create event and the creator's join, persisted. */
    static RoomHistory create(EventStore store, String roomName, UserId creator, int maxChainLength) {
        RoomHistory room = empty(store, roomName, maxChainLength);
        room.persist(room.prepareCreate(creator));
        room.membership(creator, creator, "join");
        return room;
    }

    /** A room with no events yet: start it with {@link #prepareCreate}. */
    static RoomHistory empty(EventStore store, String roomName, int maxChainLength) {
        return new RoomHistory(store, RoomId.of("!" + roomName + ":" + SERVER.value()), maxChainLength);
    }

    NewEvent prepareCreate(UserId creator) {
        return prepare(creator, StateKey.CREATE, "", json("{'creator':'" + creator.value() + "','room_version':'10'}"),
                null, null, null);
    }

    static JsonNode json(String singleQuoted) {
        return CanonicalJson.parse(singleQuoted.replace('\'', '"'));
    }

    StoredEvent state(UserId sender, String type, String stateKey, String content) {
        return persist(prepare(sender, type, stateKey, json(content), null, null, null));
    }

    StoredEvent membership(UserId sender, UserId target, String membership) {
        return state(sender, StateKey.MEMBER, target.value(), "{'membership':'" + membership + "'}");
    }

    StoredEvent message(UserId sender, String body) {
        return event(sender, "m.room.message", "{'msgtype':'m.text','body':'" + body + "'}");
    }

    /** A message event of any type, sent without a device. */
    StoredEvent event(UserId sender, String type, String content) {
        return persist(prepare(sender, type, null, json(content), null, null, null));
    }

    /** A message sent by a local device with a client transaction ID. */
    StoredEvent messageFromDevice(UserId sender, String body, String deviceId, String txnId) {
        return persist(prepare(sender, "m.room.message", null, json("{'msgtype':'m.text','body':'" + body + "'}"),
                deviceId, txnId, null));
    }

    StoredEvent redact(UserId sender, EventId target) {
        return persist(prepare(sender, "m.room.redaction", null, json("{'reason':'spam'}"), null, null, target));
    }

    /** What persisting the next event would write, without writing it. */
    NewEvent prepare(UserId sender, String type, String stateKey, JsonNode content, String deviceId, String txnId,
                     EventId redacts) {
        List<EventId> auth = new ArrayList<>();
        for (StateKey key : AuthEvents.selectFor(type, sender, stateKey, content, VERSION)) {
            Pdu event = state.get(key);
            if (event != null) {
                auth.add(event.eventId());
            }
        }
        Pdu pdu = PduBuilder.create(VERSION).roomId(roomId).sender(sender).type(type).stateKey(stateKey)
                .content(content).prevEvents(extremities).authEvents(auth).depth(maxDepth + 1)
                .originServerTs(clock++).redacts(redacts).origin(SERVER).signingKey(KEY).build();
        long position = store.maxStream() + 1;
        long group = stateGroup;
        int chain = chainLength;
        String prevStateId = null;
        Long newGroup = null;
        Long prevGroup = null;
        List<NewEvent.StateEntry> snapshot = null;
        if (pdu.isState()) {
            StateKey key = StateKey.of(pdu);
            Pdu replaced = state.get(key);
            prevStateId = replaced == null ? null : replaced.eventId().value();
            newGroup = store.maxStateGroup() + 1;
            if (group == 0 || chain >= maxChainLength) {
                Map<StateKey, Pdu> after = new HashMap<>(state);
                after.put(key, pdu);
                snapshot = after.entrySet().stream()
                        .map(e -> new NewEvent.StateEntry(e.getKey(), e.getValue().eventId())).toList();
                chain = 0;
            } else {
                prevGroup = group;
                chain++;
            }
            group = newGroup;
        }
        StoredEvent stored = new StoredEvent(position, pdu, group, prevStateId, deviceId, txnId, null);
        NewEvent.Membership membership = pdu.type().equals(StateKey.MEMBER)
                ? new NewEvent.Membership(UserId.of(pdu.stateKey()), pdu.membership()) : null;
        String createdVersion = pdu.isState(StateKey.CREATE, "") ? VERSION.id() : null;
        NewEvent.Redaction redaction = redacts != null && written.containsKey(redacts)
                ? new NewEvent.Redaction(redacts, written.get(redacts).pdu().redacted()) : null;
        return new NewEvent(stored, createdVersion, newGroup, prevGroup, chain, snapshot, List.of(pdu.eventId()),
                membership, deviceId != null ? sender : null, redaction);
    }

    /** Persists a prepared event and advances the room as the writer does. */
    StoredEvent persist(NewEvent change) {
        store.persist(change);
        StoredEvent stored = change.event();
        Pdu pdu = stored.pdu();
        if (pdu.isState()) {
            state.put(StateKey.of(pdu), pdu);
            stateGroup = stored.stateGroup();
            chainLength = change.chainLength();
            stateByGroup.put(stateGroup, currentState());
        }
        extremities = change.extremities();
        maxDepth = pdu.depth();
        lastStream = stored.stream();
        written.put(pdu.eventId(), stored);
        return stored;
    }

    RoomId roomId() {
        return roomId;
    }

    /** Every event persisted in this room, in order, as persisted (redacted ones in their original form). */
    List<StoredEvent> events() {
        return List.copyOf(written.values());
    }

    /** The room state as this history built it. */
    Map<StateKey, EventId> currentState() {
        Map<StateKey, EventId> ids = new HashMap<>();
        state.forEach((key, pdu) -> ids.put(key, pdu.eventId()));
        return ids;
    }

    /** The full state of every state group this room created. */
    Map<Long, Map<StateKey, EventId>> stateByGroup() {
        return stateByGroup;
    }

    List<EventId> extremities() {
        return extremities;
    }

    long maxDepth() {
        return maxDepth;
    }

    long stateGroup() {
        return stateGroup;
    }

    int chainLength() {
        return chainLength;
    }

    long lastStream() {
        return lastStream;
    }
}
