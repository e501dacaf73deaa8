package dev.myelin.homeserver.api.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.homeserver.http.ApiRoutes;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.MatrixRequest;
import dev.myelin.homeserver.service.directory.PublicRoomsRequest;
import dev.myelin.homeserver.service.directory.RoomDirectory;
import java.util.Map;

/** The public room directory: {@code /publicRooms} and {@code /directory/list/room/{roomId}}. */
public final class RoomDirectoryApi implements ClientApi {
    private record Visibility(String visibility) {
    }

    private final RoomDirectory directory;

    public RoomDirectoryApi(RoomDirectory directory) {
        this.directory = directory;
    }

    @Override
    public void register(ApiRoutes routes) {
        routes.get(V3 + "/publicRooms", request -> directory.publicRooms(request.query("server").orElse(null),
                PublicRoomsRequest.unfiltered(request.hasQuery("limit") ? request.queryLong("limit", 0) : null,
                        request.query("since").orElse(null))));
        routes.post(V3 + "/publicRooms", request -> {
            request.requester();
            return directory.publicRooms(request.query("server").orElse(null),
                    request.body(PublicRoomsRequest.class));
        });
        routes.get(V3 + "/directory/list/room/{roomId}", request ->
                new Visibility(directory.visibility(PathParams.roomId(request))));
        routes.put(V3 + "/directory/list/room/{roomId}", this::setVisibility);
    }

    /** PUT /_matrix/client/v3/directory/list/room/{roomId} */
    private Object setVisibility(MatrixRequest request) {
        var requester = request.requester();
        JsonNode visibility = request.body().get("visibility");
        if (visibility != null && !visibility.isNull() && !visibility.isTextual()) {
            throw MatrixException.badJson("visibility must be a string");
        }
        directory.setVisibility(requester, PathParams.roomId(request),
                visibility == null || visibility.isNull() ? null : visibility.asText());
        return Map.of();
    }
}
