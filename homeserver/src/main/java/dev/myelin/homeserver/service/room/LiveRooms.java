package dev.myelin.homeserver.service.room;

import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.event.RoomVersion;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.homeserver.storage.RoomStateStore;
import dev.myelin.homeserver.storage.RoomStateStore.RoomHead;
import dev.myelin.homeserver.service.EventCache;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The rooms this server knows, loaded into memory on first use. */
public final class LiveRooms {
    private final RoomStateStore store;
    private final EventCache events;
    private final Map<RoomId, LiveRoom> rooms = new ConcurrentHashMap<>();

    public LiveRooms(RoomStateStore store, EventCache events) {
        this.store = store;
        this.events = events;
    }

    /** The event cache the rooms read their state through. */
    public EventCache events() {
        return events;
    }

    public Optional<LiveRoom> get(RoomId roomId) {
        LiveRoom room = rooms.get(roomId);
        if (room != null) {
            return Optional.of(room);
        }
        return store.roomHead(roomId).map(head -> rooms.computeIfAbsent(roomId, id -> load(head)));
    }

    /** Registers a room about to be created, so that its m.room.create event can be written. */
    LiveRoom create(RoomId roomId, RoomVersion version) {
        LiveRoom room = new LiveRoom(roomId, version, Map.of(), List.of(), 0, 0, 0, 0, true);
        if (rooms.putIfAbsent(roomId, room) != null || store.roomHead(roomId).isPresent()) {
            throw new IllegalStateException("room exists: " + roomId);
        }
        return room;
    }

    /** Forgets a room whose creation failed before its create event was stored. */
    void discard(RoomId roomId) {
        rooms.remove(roomId);
    }

    private LiveRoom load(RoomHead head) {
        RoomVersion version = RoomVersion.byId(head.roomVersion())
                .orElseThrow(() -> new IllegalStateException("unsupported stored room version " + head.roomVersion()));
        Map<StateKey, EventId> ids = store.currentState(head.roomId());
        Map<StateKey, Pdu> state = new HashMap<>();
        Map<EventId, Pdu> byId = new HashMap<>();
        events.getAll(ids.values()).forEach(e -> byId.put(e.pdu().eventId(), e.pdu()));
        ids.forEach((key, id) -> {
            Pdu pdu = byId.get(id);
            if (pdu != null) {
                state.put(key, pdu);
            }
        });
        return new LiveRoom(head.roomId(), version, state, head.forwardExtremities(), head.maxDepth(),
                head.stateGroup(), head.chainLength(), head.lastStream(), false);
    }
}
