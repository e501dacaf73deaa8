package dev.myelin.homeserver.service.directory;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.RoomAlias;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.ErrCode;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.Requester;
import dev.myelin.homeserver.service.room.EventDraft;
import dev.myelin.homeserver.service.room.EventWriter;
import dev.myelin.homeserver.service.room.LiveRoom;
import dev.myelin.homeserver.service.room.LiveRooms;
import dev.myelin.homeserver.service.room.RemoteRooms;
import dev.myelin.homeserver.storage.RoomStateStore;
import dev.myelin.homeserver.storage.RoomStateStore.AliasRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Room aliases in the room directory ({@code /directory/room/{roomAlias}}): creating one for a
 * room the requester is joined to, resolving, deleting (by its creator or a member with power
 * over the room's canonical alias, which then loses the alias too) and listing a room's aliases.
 */
public final class RoomAliases {
    private static final Logger LOG = Logger.getLogger(RoomAliases.class.getName());

    /** Where an alias points: the room, and servers that can be asked to join it. */
    public record Target(String roomId, List<String> servers) {
    }

    private final ServerName serverName;
    private final LiveRooms rooms;
    private final RoomStateStore store;
    private final EventWriter writer;

    private final RemoteRooms remote;

    public RoomAliases(ServerName serverName, LiveRooms rooms, RoomStateStore store, EventWriter writer,
                       RemoteRooms remote) {
        this.remote = remote;
        this.serverName = serverName;
        this.rooms = rooms;
        this.store = store;
        this.writer = writer;
    }

    /** {@code PUT /directory/room/{roomAlias}}: 409 when the alias is taken. */
    public void create(Requester requester, String aliasText, String roomIdText) {
        RoomAlias alias = LocalAliases.parseLocal(aliasText, serverName);
        LiveRoom room = room(roomId(roomIdText));
        if (!"join".equals(room.membership(requester.userId()))) {
            throw MatrixException.forbidden("You must be joined to a room to create an alias for it");
        }
        if (!store.createAlias(alias, room.roomId(), requester.userId())) {
            throw new MatrixException(ErrCode.M_UNKNOWN, 409, "Room alias " + alias + " already exists.",
                    Map.of());
        }
    }

    /** {@code GET /directory/room/{roomAlias}}. */
    public Target resolve(String aliasText) {
        RoomAlias alias = LocalAliases.parse(aliasText);
        if (!alias.server().equals(serverName)) {
            RemoteRooms.Resolved resolved = remote.resolveAlias(alias);
            return new Target(resolved.roomId().value(), resolved.servers().stream().map(ServerName::value)
                    .distinct().toList());
        }
        RoomId roomId = store.roomForAlias(alias)
                .orElseThrow(() -> MatrixException.notFound("Room alias " + alias + " not found."));
        List<String> servers = new ArrayList<>(List.of(serverName.value()));
        rooms.get(roomId).ifPresent(room -> room.joined().stream().map(user -> user.server().value())
                .distinct().sorted().filter(server -> !servers.contains(server)).forEach(servers::add));
        return new Target(roomId.value(), servers);
    }

    /** {@code DELETE /directory/room/{roomAlias}}. */
    public void delete(Requester requester, String aliasText) {
        RoomAlias alias = LocalAliases.parse(aliasText);
        AliasRow row = store.alias(alias)
                .orElseThrow(() -> MatrixException.notFound("Room alias " + alias + " not found."));
        Optional<LiveRoom> room = rooms.get(row.roomId());
        UserId user = requester.userId();
        if (!row.creator().equals(user) && !room.map(r -> DirectoryPower.mayManage(r, user)).orElse(false)) {
            throw MatrixException.forbidden("You may not delete the alias " + alias);
        }
        if (!store.deleteAlias(alias)) {
            throw MatrixException.notFound("Room alias " + alias + " not found.");
        }
        room.ifPresent(r -> dropFromCanonicalAlias(r, alias, user));
    }

    /** {@code GET /rooms/{roomId}/aliases}: for joined members, or anyone when history is world readable. */
    public List<RoomAlias> aliasesOf(Requester requester, RoomId roomId) {
        LiveRoom room = rooms.get(roomId).orElseThrow(() -> MatrixException.forbidden("You are not a member of the room."));
        boolean worldReadable = "world_readable".equals(Optional.ofNullable(room.state("m.room.history_visibility", ""))
                .map(e -> e.contentString("history_visibility")).orElse(null));
        if (!worldReadable && !"join".equals(room.membership(requester.userId()))) {
            throw MatrixException.forbidden("You are not a member of the room.");
        }
        return store.aliasesOf(roomId);
    }

    /** A deleted alias leaves the room's canonical alias event too, when the deleter may change it. */
    private void dropFromCanonicalAlias(LiveRoom room, RoomAlias alias, UserId user) {
        Optional<ObjectNode> content = CanonicalAlias.without(room.state(CanonicalAlias.TYPE, ""), alias);
        if (content.isEmpty()) {
            return;
        }
        try {
            writer.send(room, EventDraft.state(user, CanonicalAlias.TYPE, "", content.get()));
        } catch (MatrixException e) {
            LOG.log(Level.FINE, "canonical alias of " + room.roomId() + " keeps the deleted " + alias, e);
        }
    }

    private LiveRoom room(RoomId roomId) {
        return rooms.get(roomId).orElseThrow(() -> MatrixException.notFound("Room " + roomId + " not found"));
    }

    static RoomId roomId(String value) {
        if (value == null) {
            throw MatrixException.missingParam("Missing room_id");
        }
        try {
            return RoomId.of(value);
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("Invalid room ID: " + value);
        }
    }
}
