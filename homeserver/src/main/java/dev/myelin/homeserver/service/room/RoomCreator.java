package dev.myelin.homeserver.service.room;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.auth.AuthException;
import dev.myelin.federation.auth.AuthRules;
import dev.myelin.federation.event.RoomVersion;
import dev.myelin.federation.id.RoomAlias;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.ErrCode;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.Requester;
import dev.myelin.homeserver.service.directory.LocalAliases;
import dev.myelin.homeserver.service.directory.RoomDirectory;
import dev.myelin.homeserver.storage.AccountStore;
import dev.myelin.homeserver.storage.RoomStateStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/** {@code POST /createRoom}: the spec's sequence of initial events for a new room. */
public final class RoomCreator {
    private final ServerName serverName;
    private final LiveRooms rooms;
    private final EventWriter writer;
    private final RoomStateStore roomStore;
    private final AccountStore accounts;
    private final MembershipService memberships;
    private final RoomDirectory directory;
    private final SecureRandom random = new SecureRandom();

    public RoomCreator(ServerName serverName, LiveRooms rooms, EventWriter writer, RoomStateStore roomStore,
                       AccountStore accounts, MembershipService memberships, RoomDirectory directory) {
        this.directory = directory;
        this.serverName = serverName;
        this.rooms = rooms;
        this.writer = writer;
        this.roomStore = roomStore;
        this.accounts = accounts;
        this.memberships = memberships;
    }

    public RoomId create(Requester requester, CreateRoomRequest request) {
        UserId creator = requester.userId();
        RoomVersion version = request.roomVersion() == null ? RoomVersion.DEFAULT
                : RoomVersion.byId(request.roomVersion()).filter(RoomVersion::supported).orElseThrow(() ->
                new MatrixException(ErrCode.M_UNSUPPORTED_ROOM_VERSION,
                        "This server does not support room version " + request.roomVersion()));
        String preset = preset(request);
        boolean publish = published(request.visibility());
        List<UserId> invitees = invitees(request.invite(), creator);
        RoomAlias alias = alias(request.roomAliasName());
        validateInitialState(request.initialState(), version);
        ObjectNode powerLevels = PowerLevelDefaults.forNewRoom(creator,
                preset.equals("trusted_private_chat") ? invitees : List.of(), request.powerLevelContentOverride());
        checkPowerLevels(powerLevels, version);

        RoomId roomId = RoomId.of("!" + randomLocalpart() + ":" + serverName.value());
        LiveRoom room = rooms.create(roomId, version);
        if (alias != null && !roomStore.createAlias(alias, roomId, creator)) {
            rooms.discard(roomId);
            throw new MatrixException(ErrCode.M_ROOM_IN_USE, "Room alias already taken");
        }
        send(room, creator, "m.room.create", "", createContent(request.creationContent(), version, creator));
        send(room, creator, "m.room.member", creator.value(), memberships.joinContent(creator));
        send(room, creator, "m.room.power_levels", "", powerLevels);
        if (alias != null) {
            ObjectNode content = Json.object();
            content.put("alias", alias.value());
            send(room, creator, "m.room.canonical_alias", "", content);
        }
        boolean isPublic = preset.equals("public_chat");
        send(room, creator, "m.room.join_rules", "", Json.object().put("join_rule", isPublic ? "public" : "invite"));
        send(room, creator, "m.room.history_visibility", "", Json.object().put("history_visibility", "shared"));
        send(room, creator, "m.room.guest_access", "", Json.object().put("guest_access", isPublic ? "forbidden" : "can_join"));
        if (request.initialState() != null) {
            for (CreateRoomRequest.InitialStateEvent event : request.initialState()) {
                send(room, creator, event.type(), event.stateKey() == null ? "" : event.stateKey(), event.content());
            }
        }
        if (request.name() != null) {
            send(room, creator, "m.room.name", "", Json.object().put("name", request.name()));
        }
        if (request.topic() != null) {
            send(room, creator, "m.room.topic", "", Json.object().put("topic", request.topic()));
        }
        for (UserId invitee : invitees) {
            memberships.invite(requester, roomId, invitee, null, Boolean.TRUE.equals(request.isDirect()));
        }
        if (publish) {
            directory.publish(roomId);
        }
        return roomId;
    }

    /**
     * Creates a room from given parts rather than from a {@code /createRoom} body, as a room
     * upgrade needs: the create content (room version and, where the version wants it, creator
     * are filled in here), the creator's join, the power levels as they are, then each state event
     * in order. The caller has checked the version and the contents.
     */
    RoomId createFrom(UserId creator, RoomVersion version, ObjectNode createContent, ObjectNode powerLevels,
                      List<CreateRoomRequest.InitialStateEvent> state) {
        RoomId roomId = RoomId.of("!" + randomLocalpart() + ":" + serverName.value());
        LiveRoom room = rooms.create(roomId, version);
        send(room, creator, "m.room.create", "", createContent(createContent, version, creator));
        send(room, creator, "m.room.member", creator.value(), memberships.joinContent(creator));
        send(room, creator, "m.room.power_levels", "", powerLevels);
        for (CreateRoomRequest.InitialStateEvent event : state) {
            send(room, creator, event.type(), event.stateKey(), event.content());
        }
        return roomId;
    }

    /** The m.room.create content: the given fields, the room version and, up to v10, the creator. */
    private static ObjectNode createContent(ObjectNode base, RoomVersion version, UserId creator) {
        ObjectNode create = base == null ? Json.object() : base.deepCopy();
        create.put("room_version", version.id());
        if (version.createHasCreator()) {
            create.put("creator", creator.value());
        } else {
            create.remove("creator");
        }
        return create;
    }

    private void send(LiveRoom room, UserId sender, String type, String stateKey, ObjectNode content) {
        writer.send(room, EventDraft.state(sender, type, stateKey, content));
    }

    private static String preset(CreateRoomRequest request) {
        String preset = request.preset();
        if (preset == null) {
            return "public".equals(request.visibility()) ? "public_chat" : "private_chat";
        }
        if (!List.of("private_chat", "public_chat", "trusted_private_chat").contains(preset)) {
            throw MatrixException.invalidParam("Unknown preset " + preset);
        }
        return preset;
    }

    private List<UserId> invitees(List<String> invite, UserId creator) {
        List<UserId> result = new ArrayList<>();
        if (invite == null) {
            return result;
        }
        for (String id : invite) {
            UserId user;
            try {
                user = UserId.of(id);
            } catch (IllegalArgumentException e) {
                throw MatrixException.invalidParam("Invalid user ID in invite: " + id);
            }
            if (!user.equals(creator) && !result.contains(user)) {
                if (user.server().equals(serverName) && !accounts.userExists(user)) {
                    throw MatrixException.notFound("Unknown user " + id);
                }
                result.add(user);
            }
        }
        return result;
    }

    private RoomAlias alias(String localpart) {
        return localpart == null ? null : LocalAliases.ofLocalpart(localpart, serverName);
    }

    /** Whether {@code visibility} asks to publish the room in the directory. */
    private static boolean published(String visibility) {
        if (visibility != null && !visibility.equals(RoomDirectory.PUBLIC) && !visibility.equals(RoomDirectory.PRIVATE)) {
            throw MatrixException.invalidParam("visibility must be \"public\" or \"private\"");
        }
        return RoomDirectory.PUBLIC.equals(visibility);
    }

    private static void checkPowerLevels(com.fasterxml.jackson.databind.JsonNode content, RoomVersion version) {
        try {
            AuthRules.checkPowerLevelsContent(content, version);
        } catch (AuthException e) {
            throw MatrixException.badJson("Invalid power levels: " + e.getMessage());
        }
    }

    private static void validateInitialState(List<CreateRoomRequest.InitialStateEvent> events, RoomVersion version) {
        if (events == null) {
            return;
        }
        for (CreateRoomRequest.InitialStateEvent event : events) {
            if (event == null || event.type() == null || event.content() == null) {
                throw MatrixException.badJson("initial_state events need a type and a content object");
            }
            if (List.of("m.room.create", "m.room.member").contains(event.type())) {
                throw MatrixException.invalidParam("initial_state may not set " + event.type());
            }
            if (event.type().equals("m.room.power_levels")) {
                checkPowerLevels(event.content(), version);
            }
            ServerAcls.checkContent(event.type(), event.content());
        }
    }

    private String randomLocalpart() {
        StringBuilder id = new StringBuilder(18);
        for (int i = 0; i < 18; i++) {
            int letter = random.nextInt(52);
            id.append((char) (letter < 26 ? 'a' + letter : 'A' + letter - 26));
        }
        return id.toString();
    }
}
