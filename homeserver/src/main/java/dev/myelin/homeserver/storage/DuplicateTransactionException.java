package dev.myelin.homeserver.storage;

/**
 * Persisting an event failed because its sender's device already sent an event with the same
 * transaction ID; nothing was written. The caller answers with the earlier event.
 */
public class DuplicateTransactionException extends RuntimeException {
    public DuplicateTransactionException() {
        super("duplicate client transaction ID", null, false, false);
    }
}
