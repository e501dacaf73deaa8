package dev.myelin.federation.id;

/** Shared parsing of the {@code sigil localpart ":" server_name} form of Matrix identifiers. */
final class Identifiers {
    static final int MAX_LENGTH = 255;

    private Identifiers() {
    }

    /** Returns the index of the colon that separates localpart and server name, or throws. */
    static int separator(String kind, char sigil, String value) {
        if (value == null || value.length() < 3 || value.charAt(0) != sigil) {
            throw new IllegalArgumentException("invalid " + kind + ": " + value);
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(kind + " longer than " + MAX_LENGTH + " characters");
        }
        int colon = value.indexOf(':');
        if (colon < 1 || !ServerName.isValid(value.substring(colon + 1))) {
            throw new IllegalArgumentException("invalid " + kind + ": " + value);
        }
        return colon;
    }
}
