package dev.myelin.homeserver.service.room;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.RoomAlias;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.Requester;
import dev.myelin.homeserver.storage.AccountStore;
import dev.myelin.homeserver.storage.RoomStateStore;

import java.util.ArrayList;
import java.util.List;

/** Joining, leaving, inviting, kicking, banning and forgetting: m.room.member events. */
public final class MembershipService {
    private final ServerName serverName;
    private final LiveRooms rooms;
    private final EventWriter writer;
    private final RoomStateStore roomStore;
    private final AccountStore accounts;
    private final UserMemberships userMemberships;
    private final RemoteRooms remote;

    public MembershipService(ServerName serverName, LiveRooms rooms, EventWriter writer, RoomStateStore roomStore,
                             AccountStore accounts, UserMemberships userMemberships, RemoteRooms remote) {
        this.remote = remote;
        this.userMemberships = userMemberships;
        this.serverName = serverName;
        this.rooms = rooms;
        this.writer = writer;
        this.roomStore = roomStore;
        this.accounts = accounts;
    }

    /** Joins a room by ID or alias and returns its ID. Joining again changes nothing. */
    public RoomId join(Requester requester, String roomIdOrAlias, String reason) {
        return join(requester, roomIdOrAlias, reason, List.of());
    }

    /**
     * Joins a room by ID or alias; a room this server is not in is joined over federation
     * through the {@code via} servers, the alias's servers, the inviter's and the room ID's.
     */
    public RoomId join(Requester requester, String roomIdOrAlias, String reason, List<ServerName> via) {
        List<ServerName> servers = new ArrayList<>(via);
        RoomId roomId;
        if (roomIdOrAlias.startsWith("#") && !aliasServer(roomIdOrAlias).equals(serverName)) {
            RemoteRooms.Resolved resolved = remote.resolveAlias(RoomAlias.of(roomIdOrAlias));
            roomId = resolved.roomId();
            servers.addAll(resolved.servers());
        } else {
            roomId = resolve(roomIdOrAlias);
        }
        ObjectNode content = joinContent(requester.userId());
        withReason(content, reason);
        LiveRoom room = rooms.get(roomId).filter(r -> !r.state().isEmpty()).orElse(null);
        if (room == null || (!roomServer(roomId).map(serverName::equals).orElse(true) && noLocalMember(room))) {
            // Not in the room (or no local member stayed, so this server has stopped hearing of it).
            roomStore.membership(roomId, requester.userId())
                    .flatMap(invite -> rooms.events().get(invite.eventId()))
                    .ifPresent(invite -> servers.add(invite.pdu().sender().server()));
            roomServer(roomId).ifPresent(servers::add);
            remote.join(requester.userId(), roomId, servers, content);
            return roomId;
        }
        if ("join".equals(room.membership(requester.userId()))) {
            return roomId;
        }
        writer.send(room, EventDraft.state(requester.userId(), "m.room.member", requester.userId().value(), content));
        return roomId;
    }

    private boolean noLocalMember(LiveRoom room) {
        return room.joined().stream().noneMatch(user -> user.server().equals(serverName));
    }

    private static ServerName aliasServer(String alias) {
        try {
            return RoomAlias.of(alias).server();
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("Invalid room alias: " + alias);
        }
    }

    /** The server part of a room ID, when it has one. */
    private static java.util.Optional<ServerName> roomServer(RoomId roomId) {
        int colon = roomId.value().indexOf(':');
        return colon > 0 && ServerName.isValid(roomId.value().substring(colon + 1))
                ? java.util.Optional.of(new ServerName(roomId.value().substring(colon + 1)))
                : java.util.Optional.empty();
    }

    public void invite(Requester requester, RoomId roomId, UserId invitee, String reason, boolean isDirect) {
        if (invitee.server().equals(serverName) && !accounts.userExists(invitee)) {
            throw MatrixException.notFound("Unknown user " + invitee);
        }
        LiveRoom room = room(roomId);
        ObjectNode content = Json.object().put("membership", "invite");
        if (isDirect) {
            content.put("is_direct", true);
        }
        profile(invitee, content);
        withReason(content, reason);
        EventDraft draft = EventDraft.state(requester.userId(), "m.room.member", invitee.value(), content);
        if (invitee.server().equals(serverName)) {
            writer.send(room, draft);
        } else {
            writer.send(room, draft, invite -> remote.countersignInvite(room, invite));
        }
    }

    /** Leaves a room, or rejects an invite. */
    public void leave(Requester requester, RoomId roomId, String reason) {
        LiveRoom known = rooms.get(roomId).filter(r -> !r.state().isEmpty()).orElse(null);
        if (known == null) {
            // An invite to a room this server is not in: rejected through the inviting server.
            var invite = roomStore.membership(roomId, requester.userId())
                    .filter(m -> m.membership().equals("invite"))
                    .flatMap(m -> rooms.events().get(m.eventId()))
                    .orElseThrow(() -> MatrixException.notFound("Unknown room " + roomId));
            remote.rejectInvite(requester.userId(), roomId, invite.pdu());
            return;
        }
        LiveRoom room = known;
        String membership = room.membership(requester.userId());
        if (membership == null || membership.equals("leave")) {
            if (membership == null) {
                throw MatrixException.forbidden("You are not a member of this room");
            }
            return;
        }
        setMembership(requester, room, requester.userId(), "leave", reason);
    }

    public void kick(Requester requester, RoomId roomId, UserId target, String reason) {
        LiveRoom room = room(roomId);
        String membership = room.membership(target);
        if (membership == null || membership.equals("leave") || membership.equals("ban")) {
            throw MatrixException.forbidden("The user is not in the room");
        }
        setMembership(requester, room, target, "leave", reason);
    }

    public void ban(Requester requester, RoomId roomId, UserId target, String reason) {
        setMembership(requester, room(roomId), target, "ban", reason);
    }

    public void unban(Requester requester, RoomId roomId, UserId target, String reason) {
        LiveRoom room = room(roomId);
        if (!"ban".equals(room.membership(target))) {
            throw MatrixException.forbidden("The user is not banned");
        }
        setMembership(requester, room, target, "leave", reason);
    }

    /** Stops a room the user has left from appearing in their sync. */
    public void forget(Requester requester, RoomId roomId) {
        var membership = roomStore.membership(roomId, requester.userId());
        if (membership.isEmpty()) {
            throw MatrixException.notFound("You have never been in this room");
        }
        if (!roomStore.forget(roomId, requester.userId())) {
            throw new MatrixException(dev.myelin.homeserver.http.ErrCode.M_UNKNOWN,
                    "You must leave the room before forgetting it");
        }
        userMemberships.forgotten(requester.userId(), roomId);
    }

    /** Content of a join: membership plus the user's display name and avatar. */
    ObjectNode joinContent(UserId user) {
        ObjectNode content = Json.object().put("membership", "join");
        profile(user, content);
        return content;
    }

    private void setMembership(Requester requester, LiveRoom room, UserId target, String membership, String reason) {
        ObjectNode content = Json.object().put("membership", membership);
        withReason(content, reason);
        writer.send(room, EventDraft.state(requester.userId(), "m.room.member", target.value(), content));
    }

    private void profile(UserId user, ObjectNode content) {
        accounts.profile(user).ifPresent(profile -> {
            if (profile.displayname() != null) {
                content.put("displayname", profile.displayname());
            }
            if (profile.avatarUrl() != null) {
                content.put("avatar_url", profile.avatarUrl());
            }
        });
    }

    private static void withReason(ObjectNode content, String reason) {
        if (reason != null && !reason.isEmpty()) {
            content.put("reason", reason);
        }
    }

    private RoomId resolve(String roomIdOrAlias) {
        try {
            if (roomIdOrAlias.startsWith("#")) {
                RoomAlias alias = RoomAlias.of(roomIdOrAlias);
                return roomStore.roomForAlias(alias)
                        .orElseThrow(() -> MatrixException.notFound("Room alias " + alias + " not found"));
            }
            return RoomId.of(roomIdOrAlias);
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("Invalid room ID or alias: " + roomIdOrAlias);
        }
    }

    LiveRoom room(RoomId roomId) {
        return rooms.get(roomId).orElseThrow(() -> MatrixException.notFound("Unknown room " + roomId));
    }
}
