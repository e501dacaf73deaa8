package dev.myelin.federation.keys;

/**
 * An event lacks a valid signature from a server that must have signed it (server-server API,
 * "Validating hashes and signatures on received events"). The message names the server and key.
 * Unchecked; not to be confused with {@link java.security.SignatureException}.
 */
public class SignatureException extends RuntimeException {
    public SignatureException(String message) {
        super(message);
    }
}
