package dev.myelin.homeserver.service.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.event.PduBuilder;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomAlias;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.federation.transport.FederationException;
import dev.myelin.homeserver.http.ErrCode;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.service.room.ClientEvents;
import dev.myelin.homeserver.service.room.LiveRoom;
import dev.myelin.homeserver.service.room.ReceivedEvents;
import dev.myelin.homeserver.service.room.RemoteRooms;
import dev.myelin.homeserver.storage.AccountStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@link RemoteRooms} over federation: joins, invites, invite rejections and alias look-ups. */
public final class FederatedRooms implements RemoteRooms {
    /** The state a remote invitee's server gets with an invite, as the spec recommends. */
    static final Set<String> INVITE_STATE_TYPES = Set.of("m.room.create", "m.room.join_rules", "m.room.name",
            "m.room.avatar", "m.room.canonical_alias", "m.room.encryption", "m.room.topic");

    private final ServerName self;
    private final SigningKey signingKey;
    private final RemoteJoiner joiner;
    private final FederationRequests remote;
    private final PduChecks checks;
    private final ReceivedEvents received;

    public FederatedRooms(ServerName self, SigningKey signingKey, RemoteJoiner joiner, FederationRequests remote,
                          PduChecks checks, ReceivedEvents received) {
        this.self = self;
        this.signingKey = signingKey;
        this.joiner = joiner;
        this.remote = remote;
        this.checks = checks;
        this.received = received;
    }

    @Override
    public void join(UserId user, RoomId roomId, List<ServerName> via, ObjectNode content) {
        joiner.join(user, roomId, via, content);
    }

    @Override
    public Pdu countersignInvite(LiveRoom room, Pdu invite) {
        UserId invitee = UserId.of(invite.stateKey());
        ObjectNode body = Json.object();
        body.put("room_version", room.version().id());
        body.set("event", invite.json());
        ArrayNode state = body.putArray("invite_room_state");
        room.state().forEach((key, pdu) -> {
            if (INVITE_STATE_TYPES.contains(key.type())) {
                state.add(ClientEvents.stripped(pdu));
            }
        });
        Pdu inviter = room.state("m.room.member", invite.sender().value());
        if (inviter != null) {
            state.add(ClientEvents.stripped(inviter));
        }
        JsonNode response;
        try {
            response = remote.invite(invitee.server(), room.roomId(), invite.eventId(), body);
        } catch (FederationException e) {
            throw e.status() == 403 || e.status() == 400
                    ? MatrixException.forbidden("The invitee's server refused the invite: " + e.getMessage())
                    : new MatrixException(ErrCode.M_UNKNOWN, 502, "Cannot reach " + invitee.server() + ": " + e.getMessage(),
                    Map.of());
        }
        Pdu signed;
        try {
            signed = checks.check(response.path("event"), room.version());
        } catch (PduChecks.InvalidPdu e) {
            throw new MatrixException(ErrCode.M_UNKNOWN, 502, "The invitee's server returned a bad invite: "
                    + e.getMessage(), Map.of());
        }
        if (!signed.json().path("signatures").has(invitee.server().value())) {
            throw new MatrixException(ErrCode.M_UNKNOWN, 502, "The invitee's server did not sign the invite", Map.of());
        }
        return signed;
    }

    @Override
    public void rejectInvite(UserId user, RoomId roomId, Pdu invite) {
        ServerName server = invite.sender().server();
        try {
            JsonNode template = remote.makeLeave(server, roomId, user);
            Pdu leave = MembershipTemplate.complete(template.path("event"), invite.roomVersion(), roomId, user,
                    Json.object().put("membership", "leave"), self, signingKey);
            remote.sendLeave(server, roomId, leave.eventId(), leave.json());
            received.outOfRoom(leave);
        } catch (FederationException | IllegalArgumentException e) {
            // The inviting server is gone or refuses: the invite is dropped here all the same.
            Pdu leave = PduBuilder.create(invite.roomVersion()).roomId(roomId).sender(user).type("m.room.member")
                    .stateKey(user.value()).content(Json.object().put("membership", "leave"))
                    .prevEvents(List.of(invite.eventId())).authEvents(List.of()).depth(invite.depth() + 1)
                    .originServerTs(System.currentTimeMillis()).origin(self).signingKey(signingKey).build();
            received.outOfRoom(leave);
        }
    }

    @Override
    public AccountStore.Profile profile(UserId user) {
        try {
            JsonNode response = remote.profile(user.server(), user, null);
            return new AccountStore.Profile(text(response, "displayname"), text(response, "avatar_url"));
        } catch (FederationException e) {
            throw MatrixException.notFound("Profile not found: " + e.getMessage());
        }
    }

    private static String text(JsonNode object, String field) {
        return object.path(field).isTextual() ? object.path(field).asText() : null;
    }

    @Override
    public Resolved resolveAlias(RoomAlias alias) {
        try {
            JsonNode response = remote.directory(alias.server(), alias.value());
            List<ServerName> servers = new ArrayList<>();
            response.path("servers").forEach(s -> {
                if (ServerName.isValid(s.asText())) {
                    servers.add(new ServerName(s.asText()));
                }
            });
            servers.add(alias.server());
            return new Resolved(RoomId.of(response.path("room_id").asText()), servers);
        } catch (FederationException e) {
            throw MatrixException.notFound("Room alias " + alias + " not found: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw MatrixException.notFound("Room alias " + alias + " resolved to no valid room");
        }
    }
}
