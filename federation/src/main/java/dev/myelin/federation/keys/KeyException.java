package dev.myelin.federation.keys;

/** A server key document that is malformed, mis-addressed or not validly self-signed. */
public class KeyException extends RuntimeException {
    public KeyException(String message) {
        super(message);
    }

    public KeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
