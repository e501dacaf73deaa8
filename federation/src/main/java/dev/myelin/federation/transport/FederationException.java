package dev.myelin.federation.transport;

/**
 * A federation request that failed: a non-2xx answer, with the Matrix {@code errcode} and
 * {@code error} of its body when it had one, or status 0 when no answer came at all
 * (unreachable, refused by the address policy, TLS failure, timeout, oversized response).
 */
public class FederationException extends RuntimeException {
    private final int status;
    private final String errcode;

    public FederationException(int status, String errcode, String message) {
        super(message);
        this.status = status;
        this.errcode = errcode;
    }

    public FederationException(int status, String errcode, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errcode = errcode;
    }

    /** The HTTP status, or 0 when the destination gave no answer. */
    public int status() {
        return status;
    }

    /** The Matrix error code, {@code M_UNKNOWN} when the answer named none. */
    public String errcode() {
        return errcode;
    }

    /** Whether no HTTP answer came at all (status 0). */
    public boolean unreachable() {
        return status == 0;
    }
}
