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

/** Joining, leaving, inviting, kicking, banning and forgetting: m.room.member events. */
public final class MembershipService {
    private final ServerName serverName;
    private final LiveRooms rooms;
    private final EventWriter writer;
    private final RoomStateStore roomStore;
    private final AccountStore accounts;
    private final UserMemberships userMemberships;

    public MembershipService(ServerName serverName, LiveRooms rooms, EventWriter writer, RoomStateStore roomStore,
                             AccountStore accounts, UserMemberships userMemberships) {
        this.userMemberships = userMemberships;
        this.serverName = serverName;
        this.rooms = rooms;
        this.writer = writer;
        this.roomStore = roomStore;
        this.accounts = accounts;
    }

    /** Joins a room by ID or alias and returns its ID. Joining again changes nothing. */
    public RoomId join(Requester requester, String roomIdOrAlias, String reason) {
        RoomId roomId = resolve(roomIdOrAlias);
        LiveRoom room = room(roomId);
        if ("join".equals(room.membership(requester.userId()))) {
            return roomId;
        }
        ObjectNode content = joinContent(requester.userId());
        withReason(content, reason);
        writer.send(room, EventDraft.state(requester.userId(), "m.room.member", requester.userId().value(), content));
        return roomId;
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
        writer.send(room, EventDraft.state(requester.userId(), "m.room.member", invitee.value(), content));
    }

    /** Leaves a room, or rejects an invite. */
    public void leave(Requester requester, RoomId roomId, String reason) {
        LiveRoom room = room(roomId);
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
