package dev.myelin.federation.event;

/** A PDU that does not have the format its room version requires (missing or mistyped keys, too large). */
public class PduFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PduFormatException(String message) {
        super(message);
    }

    public PduFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
