package dev.myelin.homeserver.api.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.federation.id.RoomAlias;
import dev.myelin.homeserver.http.ApiRoutes;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.MatrixRequest;
import dev.myelin.homeserver.service.directory.RoomAliases;
import java.util.List;
import java.util.Map;

/** Room aliases: {@code /directory/room/{roomAlias}} and {@code /rooms/{roomId}/aliases}. */
public final class RoomAliasesApi implements ClientApi {
    private record Aliases(List<String> aliases) {
    }

    private final RoomAliases aliases;

    public RoomAliasesApi(RoomAliases aliases) {
        this.aliases = aliases;
    }

    @Override
    public void register(ApiRoutes routes) {
        routes.put(V3 + "/directory/room/{roomAlias}", this::create);
        routes.get(V3 + "/directory/room/{roomAlias}", request -> aliases.resolve(request.pathParam("roomAlias")));
        routes.delete(V3 + "/directory/room/{roomAlias}", request -> {
            aliases.delete(request.requester(), request.pathParam("roomAlias"));
            return Map.of();
        });
        routes.get(V3 + "/rooms/{roomId}/aliases", request -> new Aliases(aliases.aliasesOf(request.requester(),
                PathParams.roomId(request)).stream().map(RoomAlias::value).toList()));
    }

    /** PUT /_matrix/client/v3/directory/room/{roomAlias} */
    private Object create(MatrixRequest request) {
        var requester = request.requester();
        JsonNode roomId = request.body().get("room_id");
        if (roomId == null || roomId.isNull()) {
            throw MatrixException.missingParam("Missing room_id");
        }
        if (!roomId.isTextual()) {
            throw MatrixException.badJson("room_id must be a string");
        }
        aliases.create(requester, request.pathParam("roomAlias"), roomId.asText());
        return Map.of();
    }
}
