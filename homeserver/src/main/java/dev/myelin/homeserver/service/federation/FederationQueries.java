package dev.myelin.homeserver.service.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.RoomAlias;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.MatrixRequest;
import dev.myelin.homeserver.service.directory.PublicRoomsRequest;
import dev.myelin.homeserver.service.directory.RoomAliases;
import dev.myelin.homeserver.service.directory.RoomDirectory;
import dev.myelin.homeserver.storage.AccountStore;

/** The Server-Server API's queries about this server's users and rooms: profile, alias, devices, public rooms. */
public final class FederationQueries {
    private final ServerName self;
    private final AccountStore accounts;
    private final RoomAliases aliases;
    private final RoomDirectory directory;

    public FederationQueries(ServerName self, AccountStore accounts, RoomAliases aliases, RoomDirectory directory) {
        this.self = self;
        this.accounts = accounts;
        this.aliases = aliases;
        this.directory = directory;
    }

    /** {@code GET /query/profile?user_id=&field=}. */
    public ObjectNode profile(ServerName origin, UserId user, String field) {
        if (field != null && !field.equals("displayname") && !field.equals("avatar_url")) {
            throw MatrixException.invalidParam("field must be displayname or avatar_url");
        }
        if (!user.server().equals(self)) {
            throw MatrixException.invalidParam("User " + user + " does not belong to this server");
        }
        var profile = accounts.profile(user).orElseThrow(() -> MatrixException.notFound("Profile not found"));
        ObjectNode response = Json.object();
        if (profile.displayname() != null && (field == null || field.equals("displayname"))) {
            response.put("displayname", profile.displayname());
        }
        if (profile.avatarUrl() != null && (field == null || field.equals("avatar_url"))) {
            response.put("avatar_url", profile.avatarUrl());
        }
        return response;
    }

    /** {@code GET /query/directory?room_alias=}. */
    public ObjectNode directory(ServerName origin, RoomAlias alias) {
        if (!alias.server().equals(self)) {
            throw MatrixException.notFound("Room alias " + alias + " does not belong to this server");
        }
        RoomAliases.Target target = aliases.resolve(alias.value());
        ObjectNode response = Json.object();
        response.put("room_id", target.roomId());
        var servers = response.putArray("servers");
        target.servers().forEach(servers::add);
        return response;
    }

    /**
     * {@code GET /user/devices/{userId}}. This server has no end-to-end encryption keys yet, so a
     * user's device list is empty at stream position 0.
     */
    public ObjectNode devices(ServerName origin, UserId user) {
        if (!user.server().equals(self) || !accounts.userExists(user)) {
            throw MatrixException.notFound("No such user here: " + user);
        }
        ObjectNode response = Json.object();
        response.put("user_id", user.value());
        response.put("stream_id", 0);
        response.putArray("devices");
        return response;
    }

    /**
     * {@code POST /user/keys/query}: device keys of this server's users. Without end-to-end
     * encryption support no device has keys, so each local user asked for has none; users of
     * other servers are left out.
     */
    public ObjectNode deviceKeys(ServerName origin, JsonNode body) {
        JsonNode wanted = body.path("device_keys");
        if (!wanted.isObject()) {
            throw MatrixException.badJson("device_keys must be an object of user IDs");
        }
        ObjectNode response = Json.object();
        ObjectNode keys = response.putObject("device_keys");
        wanted.fieldNames().forEachRemaining(user -> {
            if (UserId.isValid(user) && UserId.of(user).server().equals(self)) {
                keys.putObject(user);
            }
        });
        return response;
    }

    /** {@code POST /user/keys/claim}: no one-time keys to hand out (no end-to-end encryption support). */
    public ObjectNode claimKeys(ServerName origin, JsonNode body) {
        if (!body.path("one_time_keys").isObject()) {
            throw MatrixException.badJson("one_time_keys must be an object of user IDs");
        }
        ObjectNode response = Json.object();
        response.putObject("one_time_keys");
        return response;
    }

    /** {@code GET|POST /publicRooms}: this server's published rooms. */
    public Object publicRooms(ServerName origin, MatrixRequest request, boolean post) {
        PublicRoomsRequest query = post ? request.body(PublicRoomsRequest.class)
                : PublicRoomsRequest.unfiltered(request.hasQuery("limit") ? request.queryLong("limit", 0) : null,
                request.query("since").orElse(null));
        return directory.publicRooms(null, query);
    }
}
