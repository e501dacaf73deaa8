package dev.myelin.homeserver.service.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.auth.AuthException;
import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.ErrCode;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.service.EventCache;
import dev.myelin.homeserver.service.room.EventDraft;
import dev.myelin.homeserver.service.room.EventWriter;
import dev.myelin.homeserver.service.room.LiveRoom;
import dev.myelin.homeserver.service.room.LiveRooms;
import dev.myelin.homeserver.service.room.RemoteEventWriter;
import dev.myelin.homeserver.service.room.ServerAcls;
import dev.myelin.homeserver.storage.StoredEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The resident server's half of joining and leaving over federation: {@code make_join} /
 * {@code make_leave} hand out an event template, {@code send_join} / {@code send_leave} (v2)
 * accept the signed event, add it to the room and pass it on to the room's other servers;
 * {@code send_join} answers with the room's state and its auth chain.
 */
public final class ResidentMembership {
    private final ServerName self;
    private final LiveRooms rooms;
    private final EventWriter writer;
    private final RemoteEventWriter remoteWriter;
    private final PduChecks checks;
    private final ServerAcls acls;
    private final FederationSender sender;
    private final RoomHistoryServer history;

    public ResidentMembership(ServerName self, LiveRooms rooms, EventWriter writer, RemoteEventWriter remoteWriter,
                              PduChecks checks, RoomHistoryServer history, ServerAcls acls, FederationSender sender) {
        this.history = history;
        this.self = self;
        this.rooms = rooms;
        this.writer = writer;
        this.remoteWriter = remoteWriter;
        this.checks = checks;
        this.acls = acls;
        this.sender = sender;
    }

    /** {@code GET /make_join/{roomId}/{userId}?ver=} and {@code GET /make_leave/{roomId}/{userId}}. */
    public ObjectNode make(ServerName origin, RoomId roomId, UserId user, String membership, List<String> versions) {
        LiveRoom room = room(origin, roomId);
        if (!user.server().equals(origin)) {
            throw MatrixException.forbidden("The user does not belong to the requesting server");
        }
        if (versions != null && !versions.contains(room.version().id())) {
            throw new MatrixException(ErrCode.M_INCOMPATIBLE_ROOM_VERSION, 400,
                    "Your server does not support this room's version", Map.of("room_version", room.version().id()));
        }
        ObjectNode content = Json.object().put("membership", membership);
        ObjectNode template = writer.template(room, EventDraft.state(user, "m.room.member", user.value(), content));
        template.put("origin", self.value()); // the legacy field the spec still lists in the template
        ObjectNode response = Json.object();
        response.put("room_version", room.version().id());
        response.set("event", template);
        return response;
    }

    /** {@code PUT /v2/send_join/{roomId}/{eventId}}. */
    public ObjectNode sendJoin(ServerName origin, RoomId roomId, EventId eventId, JsonNode body, boolean omitMembers) {
        LiveRoom room = room(origin, roomId);
        Pdu join = accept(origin, room, eventId, body, "join");
        // The state at the join's prev_events, which its auth was checked against.
        List<Pdu> stateBefore = history.pdus(history.stateBefore(roomId, join.eventId()).values());
        ObjectNode response = Json.object();
        response.put("origin", self.value());
        response.put("members_omitted", omitMembers);
        response.set("event", join.json());
        ArrayNode state = response.putArray("state");
        List<Pdu> returned = new ArrayList<>();
        for (Pdu event : stateBefore) {
            boolean member = event.type().equals(StateKey.MEMBER);
            if (!omitMembers || !member || event.stateKey().equals(join.stateKey())) {
                state.add(event.json());
                returned.add(event);
            }
        }
        ArrayNode authChain = response.putArray("auth_chain");
        returned.add(join);
        history.authChain(returned).forEach(event -> authChain.add(event.json()));
        ArrayNode servers = response.putArray("servers_in_room");
        Set<String> names = new java.util.TreeSet<>();
        room.joined().forEach(user -> names.add(user.server().value()));
        names.forEach(servers::add);
        return response;
    }

    /** {@code PUT /v2/send_leave/{roomId}/{eventId}}. */
    public ObjectNode sendLeave(ServerName origin, RoomId roomId, EventId eventId, JsonNode body) {
        accept(origin, room(origin, roomId), eventId, body, "leave");
        return Json.object();
    }

    private Pdu accept(ServerName origin, LiveRoom room, EventId eventId, JsonNode body, String membership) {
        Pdu event;
        try {
            event = checks.check(body, room.version());
        } catch (PduChecks.InvalidPdu e) {
            throw MatrixException.badJson(e.getMessage());
        }
        if (!event.eventId().equals(eventId)) {
            throw MatrixException.badJson("The event's ID is not the one in the path");
        }
        if (!event.roomId().equals(room.roomId())) {
            throw MatrixException.badJson("The event belongs to another room than the one in the path");
        }
        if (!event.type().equals(StateKey.MEMBER) || !membership.equals(event.membership())
                || !event.sender().value().equals(event.stateKey()) || !event.sender().server().equals(origin)) {
            throw MatrixException.badJson("Expected a " + membership + " of one of the requesting server's users");
        }
        Set<ServerName> othersBefore = sender.servers(room.joined());
        try {
            RemoteEventWriter.Outcome outcome = remoteWriter.write(room, event, Optional.empty());
            if (outcome == RemoteEventWriter.Outcome.SOFT_FAILED) {
                throw MatrixException.forbidden("The room's current state does not allow this " + membership);
            }
        } catch (AuthException e) {
            throw MatrixException.forbidden(e.getMessage());
        } catch (IllegalStateException e) {
            throw MatrixException.badJson("The event does not build on events this server knows: " + e.getMessage());
        }
        Set<ServerName> others = new HashSet<>(othersBefore);
        others.remove(origin);
        sender.sendPdu(others, event.json());
        return event;
    }

    private LiveRoom room(ServerName origin, RoomId roomId) {
        LiveRoom room = rooms.get(roomId).filter(r -> !r.state().isEmpty())
                .orElseThrow(() -> MatrixException.notFound("This server is not in room " + roomId));
        if (!acls.isAllowed(roomId, origin)) {
            throw MatrixException.forbidden("Your server is denied by the room's server ACL");
        }
        return room;
    }
}
