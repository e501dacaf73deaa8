package dev.myelin.federation.id;

import java.util.regex.Pattern;

/** A user ID, {@code @localpart:server_name}. */
public record UserId(String value) {
    /** The spec's grammar for localparts of newly registered users. */
    private static final Pattern STRICT_LOCALPART = Pattern.compile("^[a-z0-9._=\\-/+]+$");

    public UserId {
        int colon = Identifiers.separator("user ID", '@', value);
        if (colon < 2) {
            throw new IllegalArgumentException("user ID with an empty localpart: " + value);
        }
    }

    public static UserId of(String value) {
        return new UserId(value);
    }

    public static UserId of(String localpart, ServerName server) {
        return new UserId("@" + localpart + ":" + server.value());
    }

    /** Whether a string is a well-formed user ID. */
    public static boolean isValid(String value) {
        try {
            new UserId(value);
            return true;
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    /** Whether a localpart is acceptable for a new account on this server. */
    public static boolean isValidLocalpart(String localpart) {
        return localpart != null && !localpart.isEmpty() && STRICT_LOCALPART.matcher(localpart).matches();
    }

    public String localpart() {
        return value.substring(1, value.indexOf(':'));
    }

    public ServerName server() {
        return new ServerName(value.substring(value.indexOf(':') + 1));
    }

    @Override
    public String toString() {
        return value;
    }
}
