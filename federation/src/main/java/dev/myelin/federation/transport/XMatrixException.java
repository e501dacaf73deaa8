package dev.myelin.federation.transport;

/** A malformed {@code Authorization: X-Matrix ...} header. */
public class XMatrixException extends RuntimeException {
    public XMatrixException(String message) {
        super(message);
    }
}
