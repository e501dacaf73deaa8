package dev.myelin.homeserver.service.room;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.RoomAlias;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.storage.AccountStore;
import java.util.List;

/**
 * What membership needs from other servers: joining a room this server is not in, having a
 * remote invitee's server countersign an invite, rejecting an invite to such a room,
 * resolving another server's alias and reading another server's user's profile. Implemented by the federation layer.
 */
public interface RemoteRooms {
    /** A room and the servers that can be asked to join it. */
    record Resolved(RoomId roomId, List<ServerName> servers) {
    }

    /** Without federation: every remote request is refused. */
    RemoteRooms NONE = new RemoteRooms() {
        @Override
        public void join(UserId user, RoomId roomId, List<ServerName> via, ObjectNode content) {
            throw MatrixException.notFound("Unknown room " + roomId);
        }

        @Override
        public Pdu countersignInvite(LiveRoom room, Pdu invite) {
            throw MatrixException.forbidden("Federation is disabled: cannot invite " + invite.stateKey());
        }

        @Override
        public void rejectInvite(UserId user, RoomId roomId, Pdu invite) {
            throw MatrixException.notFound("Unknown room " + roomId);
        }

        @Override
        public Resolved resolveAlias(RoomAlias alias) {
            throw MatrixException.notFound("Room alias " + alias + " not found");
        }

        @Override
        public AccountStore.Profile profile(UserId user) {
            throw MatrixException.notFound("Profile not found");
        }
    };

    void join(UserId user, RoomId roomId, List<ServerName> via, ObjectNode content);

    /** The invite as the invitee's server signed it ({@code PUT /v2/invite}). */
    Pdu countersignInvite(LiveRoom room, Pdu invite);

    void rejectInvite(UserId user, RoomId roomId, Pdu invite);

    Resolved resolveAlias(RoomAlias alias);

    /** Another server's user's profile ({@code query/profile}). */
    AccountStore.Profile profile(UserId user);
}
