package dev.myelin.federation.id;

import java.util.regex.Pattern;

/** A server name: {@code hostname [ ":" port ]}, as the spec's grammar for server names allows. */
public record ServerName(String value) {
    private static final Pattern GRAMMAR = Pattern.compile(
            "^(\\[[0-9A-Fa-f:.]{2,45}]|[0-9]{1,3}(\\.[0-9]{1,3}){3}|[A-Za-z0-9.-]{1,255})(:[0-9]{1,5})?$");

    public ServerName {
        if (value == null || !GRAMMAR.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid server name: " + value);
        }
    }

    public static ServerName of(String value) {
        return new ServerName(value);
    }

    public static boolean isValid(String value) {
        return value != null && GRAMMAR.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
