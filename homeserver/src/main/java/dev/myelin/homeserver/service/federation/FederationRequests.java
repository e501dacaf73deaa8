package dev.myelin.homeserver.service.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import dev.myelin.federation.transport.FederationClient;
import dev.myelin.homeserver.http.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

/** The Server-Server API requests this server makes, one method per endpoint, over the signed client. */
public final class FederationRequests {
    private static final String V1 = "/_matrix/federation/v1/";
    private static final String V2 = "/_matrix/federation/v2/";

    private final FederationClient client;

    public FederationRequests(FederationClient client) {
        this.client = client;
    }

    /** {@code PUT /send/{txnId}}. */
    public JsonNode sendTransaction(ServerName destination, String txnId, ObjectNode transaction) {
        return client.put(destination, V1 + "send/" + encode(txnId), transaction);
    }

    /** {@code GET /make_join/{roomId}/{userId}} offering the room versions this server supports. */
    public JsonNode makeJoin(ServerName destination, RoomId roomId, UserId userId, Collection<String> versions) {
        StringBuilder query = new StringBuilder();
        for (String version : versions) {
            query.append(query.isEmpty() ? "?" : "&").append("ver=").append(encode(version));
        }
        return client.get(destination, V1 + "make_join/" + encode(roomId.value()) + "/" + encode(userId.value()) + query);
    }

    /** {@code PUT /v2/send_join/{roomId}/{eventId}}. */
    public JsonNode sendJoin(ServerName destination, RoomId roomId, EventId eventId, ObjectNode event, boolean omitMembers) {
        return client.put(destination, V2 + "send_join/" + encode(roomId.value()) + "/" + encode(eventId.value())
                + (omitMembers ? "?omit_members=true" : ""), event);
    }

    /** {@code GET /make_leave/{roomId}/{userId}}. */
    public JsonNode makeLeave(ServerName destination, RoomId roomId, UserId userId) {
        return client.get(destination, V1 + "make_leave/" + encode(roomId.value()) + "/" + encode(userId.value()));
    }

    /** {@code PUT /v2/send_leave/{roomId}/{eventId}}. */
    public JsonNode sendLeave(ServerName destination, RoomId roomId, EventId eventId, ObjectNode event) {
        return client.put(destination, V2 + "send_leave/" + encode(roomId.value()) + "/" + encode(eventId.value()), event);
    }

    /** {@code PUT /v2/invite/{roomId}/{eventId}}. */
    public JsonNode invite(ServerName destination, RoomId roomId, EventId eventId, ObjectNode body) {
        return client.put(destination, V2 + "invite/" + encode(roomId.value()) + "/" + encode(eventId.value()), body);
    }

    /** {@code GET /event/{eventId}}: the PDU itself. */
    public JsonNode event(ServerName destination, EventId eventId) {
        JsonNode response = client.get(destination, V1 + "event/" + encode(eventId.value()));
        JsonNode pdus = response.path("pdus");
        if (!pdus.isArray() || pdus.isEmpty()) {
            throw new IllegalStateException(destination + " returned no PDU for " + eventId);
        }
        return pdus.get(0);
    }

    /** {@code GET /state_ids/{roomId}?event_id=}: the state before an event and its auth chain, as IDs. */
    public JsonNode stateIds(ServerName destination, RoomId roomId, EventId eventId) {
        return client.get(destination, V1 + "state_ids/" + encode(roomId.value()) + "?event_id=" + encode(eventId.value()));
    }

    /** {@code GET /state/{roomId}?event_id=}: the state before an event and its auth chain, as PDUs. */
    public JsonNode state(ServerName destination, RoomId roomId, EventId eventId) {
        return client.get(destination, V1 + "state/" + encode(roomId.value()) + "?event_id=" + encode(eventId.value()));
    }

    /** {@code POST /get_missing_events/{roomId}}. */
    public JsonNode missingEvents(ServerName destination, RoomId roomId, List<EventId> earliest, List<EventId> latest,
                                  int limit, long minDepth) {
        ObjectNode body = Json.object();
        ArrayNode early = body.putArray("earliest_events");
        earliest.forEach(id -> early.add(id.value()));
        ArrayNode late = body.putArray("latest_events");
        latest.forEach(id -> late.add(id.value()));
        body.put("limit", limit);
        body.put("min_depth", minDepth);
        return client.post(destination, V1 + "get_missing_events/" + encode(roomId.value()), body);
    }

    /** {@code GET /backfill/{roomId}?v=...&limit=}. */
    public JsonNode backfill(ServerName destination, RoomId roomId, List<EventId> from, int limit) {
        StringBuilder query = new StringBuilder("?limit=").append(limit);
        from.forEach(id -> query.append("&v=").append(encode(id.value())));
        return client.get(destination, V1 + "backfill/" + encode(roomId.value()) + query);
    }

    /** {@code GET /query/profile?user_id=&field=}. */
    public JsonNode profile(ServerName destination, UserId userId, String field) {
        return client.get(destination, V1 + "query/profile?user_id=" + encode(userId.value())
                + (field == null ? "" : "&field=" + encode(field)));
    }

    /** {@code GET /query/directory?room_alias=}. */
    public JsonNode directory(ServerName destination, String alias) {
        return client.get(destination, V1 + "query/directory?room_alias=" + encode(alias));
    }

    /** Percent-encodes a path segment or query value ({@code !}, {@code $}, {@code :} and the rest). */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
