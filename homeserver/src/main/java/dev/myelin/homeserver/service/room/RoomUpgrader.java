package dev.myelin.homeserver.service.room;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.auth.PowerLevels;
import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.event.RoomVersion;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.ErrCode;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.Requester;
import dev.myelin.homeserver.service.directory.RoomDirectory;
import dev.myelin.homeserver.storage.RoomStateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /rooms/{roomId}/upgrade}: replaces a room with a new one of another room version,
 * following the spec's server behaviour. The upgrader needs the power to send
 * {@code m.room.tombstone}. The new room's {@code m.room.create} names its predecessor (the old
 * room and its latest event) and keeps the room {@code type}; the transferable state, the power
 * levels and the bans are copied; local aliases, the canonical alias and a listing in the public
 * room directory move; the old room gets
 * the tombstone and power levels that stop ordinary members from talking or inviting.
 */
public final class RoomUpgrader {
    /** State copied as it is, in this order; the spec's recommended list. */
    private static final List<String> TRANSFERABLE = List.of("m.room.join_rules", "m.room.history_visibility",
            "m.room.guest_access", "m.room.server_acl", "m.room.encryption", "m.room.name", "m.room.topic",
            "m.room.avatar");
    private static final String TOMBSTONE = "m.room.tombstone";
    private static final String POWER_LEVELS = "m.room.power_levels";
    private static final String CANONICAL_ALIAS = "m.room.canonical_alias";

    private final LiveRooms rooms;
    private final RoomCreator creator;
    private final EventWriter writer;
    private final RoomStateStore roomStore;
    private final RoomDirectory directory;

    public RoomUpgrader(LiveRooms rooms, RoomCreator creator, EventWriter writer, RoomStateStore roomStore,
                        RoomDirectory directory) {
        this.rooms = rooms;
        this.creator = creator;
        this.writer = writer;
        this.roomStore = roomStore;
        this.directory = directory;
    }

    /** Upgrades the room and returns the replacement room's ID. */
    public RoomId upgrade(Requester requester, RoomId roomId, String newVersion) {
        RoomVersion version = RoomVersion.byId(newVersion).filter(RoomVersion::supported).orElseThrow(() ->
                new MatrixException(ErrCode.M_UNSUPPORTED_ROOM_VERSION,
                        "This server does not support room version " + newVersion));
        UserId user = requester.userId();
        LiveRoom old = rooms.get(roomId).orElseThrow(() -> MatrixException.forbidden("You are not in this room"));
        // One upgrade of a room at a time, and no event slips in between the predecessor and the tombstone.
        old.lock().lock();
        try {
            Map<StateKey, Pdu> state = old.state();
            PowerLevels levels = PowerLevels.fromState(state);
            if (!"join".equals(old.membership(user))) {
                throw MatrixException.forbidden("You are not in this room");
            }
            if (levels.userLevel(user) < levels.eventLevel(TOMBSTONE, true)) {
                throw MatrixException.forbidden("You do not have the power to upgrade this room");
            }
            RoomId replacement = createReplacement(old, user, version, levels);
            roomStore.moveAliases(roomId, replacement);
            directory.moveListing(roomId, replacement);
            send(old, user, TOMBSTONE, Json.object().put("body", "This room has been replaced")
                    .put("replacement_room", replacement.value()));
            if (old.state(CANONICAL_ALIAS, "") != null && !old.state(CANONICAL_ALIAS, "").content().isEmpty()) {
                trySend(old, user, CANONICAL_ALIAS, Json.object());
            }
            restrict(old, user);
            return replacement;
        } finally {
            old.lock().unlock();
        }
    }

    private RoomId createReplacement(LiveRoom old, UserId user, RoomVersion version, PowerLevels levels) {
        Pdu oldCreate = old.state("m.room.create", "");
        ObjectNode create = Json.object();
        for (String kept : List.of("type", "m.federate")) {
            if (oldCreate != null && oldCreate.content().has(kept)) {
                create.set(kept, oldCreate.content().get(kept));
            }
        }
        List<EventId> latest = old.head().extremities();
        ObjectNode predecessor = create.putObject("predecessor").put("room_id", old.roomId().value());
        if (!latest.isEmpty()) {
            predecessor.put("event_id", latest.get(latest.size() - 1).value());
        }

        List<CreateRoomRequest.InitialStateEvent> copied = new ArrayList<>();
        long needed = levels.eventLevel(POWER_LEVELS, true);
        for (String type : TRANSFERABLE) {
            Pdu event = old.state(type, "");
            if (event != null) {
                copied.add(new CreateRoomRequest.InitialStateEvent(type, "", event.content()));
                needed = Math.max(needed, levels.eventLevel(type, true));
            }
        }
        for (Map.Entry<StateKey, Pdu> entry : old.state().entrySet()) {
            Pdu member = entry.getValue();
            // A ban of someone at or above the upgrader's level would fail the auth rules: not copied.
            if (entry.getKey().type().equals("m.room.member") && "ban".equals(member.membership())
                    && levels.userLevel(entry.getKey().stateKey()) < levels.userLevel(user)) {
                ObjectNode ban = Json.object().put("membership", "ban");
                if (member.content().path("reason").isTextual()) {
                    ban.set("reason", member.content().get("reason"));
                }
                copied.add(new CreateRoomRequest.InitialStateEvent("m.room.member", entry.getKey().stateKey(), ban));
                needed = Math.max(needed, levels.ban());
            }
        }
        Pdu canonicalAlias = old.state(CANONICAL_ALIAS, "");
        if (canonicalAlias != null && !canonicalAlias.content().isEmpty()) {
            copied.add(new CreateRoomRequest.InitialStateEvent(CANONICAL_ALIAS, "", canonicalAlias.content()));
            needed = Math.max(needed, levels.eventLevel(CANONICAL_ALIAS, true));
        }

        Pdu oldPowerLevels = old.state(POWER_LEVELS, "");
        ObjectNode powerLevels = oldPowerLevels == null
                ? PowerLevelDefaults.forNewRoom(user, List.of(), null) : oldPowerLevels.content();
        if (levels.userLevel(user) >= needed) {
            return creator.createFrom(user, version, create, powerLevels, copied);
        }
        // The upgrader may send the tombstone yet lack the power for some copied state: raise them
        // while the state is copied, then put the room's own power levels in place.
        ObjectNode raised = powerLevels.deepCopy();
        (raised.path("users").isObject() ? (ObjectNode) raised.get("users") : raised.putObject("users"))
                .put(user.value(), needed);
        copied.add(new CreateRoomRequest.InitialStateEvent(POWER_LEVELS, "", powerLevels));
        return creator.createFrom(user, version, create, raised, copied);
    }

    /**
     * Raises {@code events_default} and {@code invite} to at least the greater of 50 and
     * {@code users_default + 1}, as the spec suggests, so that the old room falls quiet. Skipped
     * when the upgrader may not change the power levels.
     */
    private void restrict(LiveRoom old, UserId user) {
        Pdu current = old.state(POWER_LEVELS, "");
        if (current == null) {
            return;
        }
        PowerLevels levels = PowerLevels.fromContent(current.content());
        long quiet = Math.max(50, levels.usersDefault() + 1);
        if (levels.eventsDefault() >= quiet && levels.invite() >= quiet) {
            return;
        }
        ObjectNode content = current.content();
        content.put("events_default", Math.max(levels.eventsDefault(), quiet));
        content.put("invite", Math.max(levels.invite(), quiet));
        trySend(old, user, POWER_LEVELS, content);
    }

    private void send(LiveRoom room, UserId sender, String type, ObjectNode content) {
        writer.send(room, EventDraft.state(sender, type, "", content));
    }

    /** Sends what the spec asks for "if possible": a refusal by the authorization rules is no failure. */
    private void trySend(LiveRoom room, UserId sender, String type, ObjectNode content) {
        try {
            send(room, sender, type, content);
        } catch (MatrixException e) {
            if (e.errcode() != ErrCode.M_FORBIDDEN) {
                throw e;
            }
        }
    }
}
