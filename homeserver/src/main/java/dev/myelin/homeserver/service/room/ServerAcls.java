package dev.myelin.homeserver.service.room;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.federation.acl.ServerAcl;
import dev.myelin.federation.acl.ServerAclContent;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.ServerName;
import dev.myelin.homeserver.http.MatrixException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rooms' server access control lists ({@code m.room.server_acl}). The federation layer asks
 * {@link #isAllowed} before it acts on another server's behalf in a room (incoming transactions'
 * PDUs and EDUs, backfill, state and event requests, make_join/send_join and the like), so that a
 * denied server can neither send into nor read from the room through this server. Local clients'
 * ACL events are checked against the event schema by {@link #checkContent}.
 */
public final class ServerAcls {
    static final String TYPE = "m.room.server_acl";

    /** Compiled ACLs by event ID: an ACL changes rarely, the check runs for every federation request. */
    private static final int MAX_COMPILED = 1024;

    private final LiveRooms rooms;
    private final Map<EventId, ServerAcl> compiled = new ConcurrentHashMap<>();

    public ServerAcls(LiveRooms rooms) {
        this.rooms = rooms;
    }

    /**
     * Whether the server may take part in the room under its current ACL. A room this server does
     * not know has no ACL here, so the answer is yes; the caller decides what an unknown room means.
     */
    public boolean isAllowed(RoomId roomId, ServerName server) {
        return rooms.get(roomId).map(room -> aclOf(room).isAllowed(server.value())).orElse(true);
    }

    /** The room's current ACL; {@link ServerAcl#ALLOW_ALL} when it has none. */
    private ServerAcl aclOf(LiveRoom room) {
        Pdu event = room.state(TYPE, "");
        if (event == null) {
            return ServerAcl.ALLOW_ALL;
        }
        if (compiled.size() > MAX_COMPILED) {
            compiled.clear();
        }
        return compiled.computeIfAbsent(event.eventId(), id -> ServerAcl.fromContent(event.content()));
    }

    /**
     * 400 {@code M_BAD_JSON} when a local user's {@code m.room.server_acl} content does not fit the
     * event schema. An ACL that denies this server itself is accepted: the spec warns about it
     * but does not forbid it.
     */
    static void checkContent(String type, JsonNode content) {
        if (TYPE.equals(type)) {
            ServerAclContent.problem(content).ifPresent(problem -> {
                throw MatrixException.badJson(problem);
            });
        }
    }
}
