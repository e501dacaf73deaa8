package dev.myelin.homeserver.api.client;

import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.MatrixRequest;

/** Typed identifiers from path parameters, with a Matrix error for malformed ones. */
public final class PathParams {
    private PathParams() {
    }

    public static RoomId roomId(MatrixRequest request) {
        String value = request.pathParam("roomId");
        try {
            return RoomId.of(value);
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("Invalid room ID: " + value);
        }
    }

    public static EventId eventId(MatrixRequest request) {
        String value = request.pathParam("eventId");
        try {
            return EventId.of(value);
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("Invalid event ID: " + value);
        }
    }

    public static UserId userId(MatrixRequest request) {
        return userId(request.pathParam("userId"));
    }

    public static UserId userId(String value) {
        try {
            return UserId.of(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw MatrixException.invalidParam("Invalid user ID: " + value);
        }
    }
}
