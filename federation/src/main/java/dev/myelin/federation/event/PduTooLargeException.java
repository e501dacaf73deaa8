package dev.myelin.federation.event;

/** A PDU whose canonical JSON exceeds the spec's 65536-byte limit. */
public class PduTooLargeException extends PduFormatException {
    private static final long serialVersionUID = 1L;

    public PduTooLargeException(String message) {
        super(message);
    }
}
