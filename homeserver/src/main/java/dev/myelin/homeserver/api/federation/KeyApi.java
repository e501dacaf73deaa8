package dev.myelin.homeserver.api.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.keys.KeyRing;
import dev.myelin.homeserver.api.client.ClientApi;
import dev.myelin.homeserver.http.ApiRoutes;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.MatrixRequest;
import java.util.Map;

/** The key server: this server's keys, and the notary endpoints that serve other servers' keys. */
public final class KeyApi implements ClientApi {
    private static final String KEY = "/_matrix/key/v2";

    private final KeyRing keys;

    public KeyApi(KeyRing keys) {
        this.keys = keys;
    }

    @Override
    public void register(ApiRoutes routes) {
        // GET /_matrix/key/v2/server
        routes.get(KEY + "/server", request -> keys.ownDocument());
        // GET /_matrix/key/v2/server/{keyId} (deprecated: the whole document regardless)
        routes.get(KEY + "/server/{keyId}", request -> keys.ownDocument());
        // GET /_matrix/key/v2/query/{serverName}
        routes.get(KEY + "/query/{serverName}", request -> notary(Map.of(serverName(request.pathParam("serverName")),
                request.queryLong("minimum_valid_until_ts", 0))));
        // POST /_matrix/key/v2/query
        routes.post(KEY + "/query", this::query);
    }

    private ObjectNode query(MatrixRequest request) {
        JsonNode serverKeys = request.body().path("server_keys");
        if (!serverKeys.isObject()) {
            throw MatrixException.badJson("server_keys must be an object");
        }
        Map<ServerName, Long> wanted = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> server : serverKeys.properties()) {
            long minimum = 0;
            for (JsonNode criteria : server.getValue()) {
                minimum = Math.max(minimum, criteria.path("minimum_valid_until_ts").asLong(0));
            }
            wanted.put(serverName(server.getKey()), minimum);
        }
        return notary(wanted);
    }

    private ObjectNode notary(Map<ServerName, Long> wanted) {
        ObjectNode response = Json.object();
        ArrayNode documents = response.putArray("server_keys");
        wanted.forEach((server, minimum) -> keys.notaryResponse(server, minimum == 0 ? System.currentTimeMillis() : minimum)
                .forEach(documents::add));
        return response;
    }

    private static ServerName serverName(String name) {
        if (name == null || !ServerName.isValid(name)) {
            throw MatrixException.invalidParam("Invalid server name: " + name);
        }
        return new ServerName(name);
    }
}
