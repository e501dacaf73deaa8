package dev.myelin.homeserver.http;

/** The spec's error codes, each with the HTTP status it is returned with. */
public enum ErrCode {
    M_FORBIDDEN(403),
    M_UNKNOWN_TOKEN(401),
    M_MISSING_TOKEN(401),
    M_USER_LOCKED(401),
    M_BAD_JSON(400),
    M_NOT_JSON(400),
    M_NOT_FOUND(404),
    M_LIMIT_EXCEEDED(429),
    M_UNRECOGNIZED(404),
    M_UNKNOWN(400),
    M_UNAUTHORIZED(401),
    M_USER_DEACTIVATED(403),
    M_USER_IN_USE(400),
    M_INVALID_USERNAME(400),
    M_ROOM_IN_USE(400),
    M_INVALID_ROOM_STATE(400),
    M_UNSUPPORTED_ROOM_VERSION(400),
    M_INCOMPATIBLE_ROOM_VERSION(400),
    M_BAD_STATE(400),
    M_GUEST_ACCESS_FORBIDDEN(403),
    M_MISSING_PARAM(400),
    M_INVALID_PARAM(400),
    M_TOO_LARGE(413),
    M_EXCLUSIVE(400),
    M_RESOURCE_LIMIT_EXCEEDED(400),
    M_CANNOT_LEAVE_SERVER_NOTICE_ROOM(403),
    M_THREEPID_IN_USE(400),
    M_WEAK_PASSWORD(400),
    M_BAD_ALIAS(400),
    /** A second identical annotation (reaction) by the same user. */
    M_DUPLICATE_ANNOTATION(400),
    /** Not an error code of the spec's list but the one every server uses for a 500. */
    M_INTERNAL(500);

    private final int status;

    ErrCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
