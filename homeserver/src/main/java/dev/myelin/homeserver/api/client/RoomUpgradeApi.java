package dev.myelin.homeserver.api.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.homeserver.http.ApiRoutes;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.MatrixRequest;
import dev.myelin.homeserver.service.room.RoomUpgrader;

/** Room upgrades: replacing a room with one of another room version. */
public final class RoomUpgradeApi implements ClientApi {
    private record UpgradeResponse(String replacementRoom) {
    }

    private final RoomUpgrader upgrader;

    public RoomUpgradeApi(RoomUpgrader upgrader) {
        this.upgrader = upgrader;
    }

    @Override
    public void register(ApiRoutes routes) {
        routes.post(V3 + "/rooms/{roomId}/upgrade", this::upgrade);
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/upgrade */
    private Object upgrade(MatrixRequest request) {
        JsonNode version = request.body().get("new_version");
        if (version == null) {
            throw MatrixException.missingParam("Missing new_version");
        }
        if (!version.isTextual()) {
            throw MatrixException.badJson("new_version must be a string");
        }
        return new UpgradeResponse(upgrader.upgrade(request.requester(), PathParams.roomId(request), version.asText())
                .value());
    }
}
