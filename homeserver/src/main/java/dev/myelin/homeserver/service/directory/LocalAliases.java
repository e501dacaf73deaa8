package dev.myelin.homeserver.service.directory;

import dev.myelin.federation.id.RoomAlias;
import dev.myelin.federation.id.ServerName;
import dev.myelin.homeserver.http.MatrixException;
import java.nio.charset.StandardCharsets;

/**
 * The rules for room aliases this server hands out: {@code #localpart:server} with a non-empty
 * localpart free of colons and whitespace, at most 255 bytes in all, on this server.
 */
public final class LocalAliases {
    private static final int MAX_BYTES = 255;

    private LocalAliases() {
    }

    /** An alias given in full (a path parameter); M_INVALID_PARAM when malformed. */
    public static RoomAlias parse(String value) {
        try {
            RoomAlias alias = RoomAlias.of(value);
            checkLocalpart(alias.localpart(), value);
            return alias;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw MatrixException.invalidParam("Room alias invalid: " + value);
        }
    }

    /** An alias given in full that this server may create: also M_INVALID_PARAM for another server's. */
    public static RoomAlias parseLocal(String value, ServerName serverName) {
        RoomAlias alias = parse(value);
        if (!alias.server().equals(serverName)) {
            throw MatrixException.invalidParam("Room alias " + value + " is not of this server " + serverName);
        }
        return alias;
    }

    /** The alias for {@code room_alias_name} of {@code POST /createRoom}. */
    public static RoomAlias ofLocalpart(String localpart, ServerName serverName) {
        String value = "#" + localpart + ":" + serverName.value();
        if (localpart.contains(":")) {
            throw MatrixException.invalidParam("Invalid room_alias_name " + localpart);
        }
        try {
            RoomAlias alias = RoomAlias.of(localpart, serverName);
            checkLocalpart(localpart, value);
            return alias;
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("Invalid room_alias_name " + localpart);
        }
    }

    private static void checkLocalpart(String localpart, String whole) {
        if (localpart.isEmpty() || localpart.chars().anyMatch(Character::isWhitespace)
                || whole.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new IllegalArgumentException("invalid alias " + whole);
        }
    }
}
