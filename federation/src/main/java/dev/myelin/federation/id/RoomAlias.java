package dev.myelin.federation.id;

/** A room alias, {@code #alias:server_name}. */
public record RoomAlias(String value) {
    public RoomAlias {
        int colon = Identifiers.separator("room alias", '#', value);
        if (colon < 2) {
            throw new IllegalArgumentException("room alias with an empty localpart: " + value);
        }
    }

    public static RoomAlias of(String value) {
        return new RoomAlias(value);
    }

    public static RoomAlias of(String localpart, ServerName server) {
        return new RoomAlias("#" + localpart + ":" + server.value());
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
