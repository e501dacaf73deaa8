package dev.myelin.federation.id;

/**
 * An event ID. From room version 4 on it is {@code $} followed by the URL-safe unpadded base64
 * of the event's reference hash, with no server name.
 */
public record EventId(String value) {
    public EventId {
        if (value == null || value.length() < 2 || value.charAt(0) != '$' || value.length() > 255) {
            throw new IllegalArgumentException("invalid event ID: " + value);
        }
    }

    public static EventId of(String value) {
        return new EventId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
