package dev.myelin.homeserver.service.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.federation.event.EventSigning;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.event.RoomVersion;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.ErrCode;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.service.room.LiveRooms;
import dev.myelin.homeserver.service.room.ReceivedEvents;
import dev.myelin.homeserver.service.room.ServerAcls;
import dev.myelin.homeserver.storage.AccountStore;
import java.util.Map;

/**
 * {@code PUT /_matrix/federation/v2/invite/{roomId}/{eventId}}: another server invites one of
 * this server's users. The invite is checked, countersigned and returned; when this server is
 * not in the room it is kept with the stripped state it came with, so the user sees it in sync.
 */
public final class InviteReceiver {
    private final ServerName self;
    private final SigningKey signingKey;
    private final PduChecks checks;
    private final AccountStore accounts;
    private final LiveRooms rooms;
    private final ReceivedEvents received;
    private final ServerAcls acls;

    public InviteReceiver(ServerName self, SigningKey signingKey, PduChecks checks, AccountStore accounts,
                          LiveRooms rooms, ReceivedEvents received, ServerAcls acls) {
        this.self = self;
        this.signingKey = signingKey;
        this.checks = checks;
        this.accounts = accounts;
        this.rooms = rooms;
        this.received = received;
        this.acls = acls;
    }

    public ObjectNode invite(ServerName origin, RoomId roomId, EventId eventId, ObjectNode body) {
        RoomVersion version = RoomVersion.byId(body.path("room_version").asText(""))
                .filter(RoomVersion::supported)
                .orElseThrow(() -> new MatrixException(ErrCode.M_INCOMPATIBLE_ROOM_VERSION, 400,
                        "This server does not support the room's version", Map.of("room_version",
                        body.path("room_version").asText(""))));
        if (!acls.isAllowed(roomId, origin)) {
            throw MatrixException.forbidden("Your server is denied by the room's server ACL");
        }
        Pdu invite;
        try {
            invite = checks.check(body.path("event"), version);
        } catch (PduChecks.InvalidPdu e) {
            throw MatrixException.badJson(e.getMessage());
        }
        if (!invite.eventId().equals(eventId) || !invite.roomId().equals(roomId)) {
            throw MatrixException.badJson("The event does not match the path");
        }
        if (!invite.type().equals("m.room.member") || !"invite".equals(invite.membership())
                || !invite.sender().server().equals(origin)) {
            throw MatrixException.badJson("Expected an invite sent by one of the requesting server's users");
        }
        UserId invitee;
        try {
            invitee = UserId.of(invite.stateKey());
        } catch (IllegalArgumentException e) {
            throw MatrixException.badJson("The invite's state_key is not a user ID");
        }
        if (!invitee.server().equals(self) || !accounts.userExists(invitee)) {
            throw MatrixException.notFound("No such user here: " + invitee);
        }
        ObjectNode signed = EventSigning.addSignature(invite.json(), version, self.value(), signingKey);
        Pdu countersigned = Pdu.fromJson(signed, version);
        boolean resident = rooms.get(roomId).map(r -> !r.state().isEmpty()).orElse(false);
        if (!resident) {
            ObjectNode kept = countersigned.json();
            ObjectNode unsigned = kept.has("unsigned") && kept.get("unsigned").isObject()
                    ? (ObjectNode) kept.get("unsigned") : kept.putObject("unsigned");
            JsonNode state = body.path("invite_room_state");
            ArrayNode strippedState = unsigned.putArray("invite_room_state");
            if (state.isArray()) {
                state.forEach(strippedState::add);
            }
            received.outOfRoom(Pdu.fromJson(kept, version));
        }
        ObjectNode response = Json.object();
        response.set("event", countersigned.json());
        return response;
    }
}
