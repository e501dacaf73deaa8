package dev.myelin.federation.id;

/** A room ID, {@code !opaque:server_name}. */
public record RoomId(String value) {
    public RoomId {
        Identifiers.separator("room ID", '!', value);
    }

    public static RoomId of(String value) {
        return new RoomId(value);
    }

    public ServerName server() {
        return new ServerName(value.substring(value.indexOf(':') + 1));
    }

    @Override
    public String toString() {
        return value;
    }
}
