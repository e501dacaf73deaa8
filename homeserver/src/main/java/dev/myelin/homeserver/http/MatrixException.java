package dev.myelin.homeserver.http;

import java.util.Map;

/**
 * A failure that reaches the client as {@code {"errcode","error"}}. The status comes from the
 * {@link ErrCode} unless a different one is given (405 for a wrong method, for instance).
 */
public class MatrixException extends RuntimeException {
    private final ErrCode errcode;
    private final int status;
    private final Map<String, Object> extra;

    public MatrixException(ErrCode errcode, String message) {
        this(errcode, errcode.status(), message, Map.of());
    }

    /** An errcode of null writes only {@code extra}, as a user-interactive auth challenge does. */
    public MatrixException(ErrCode errcode, int status, String message, Map<String, Object> extra) {
        super(message, null, false, false);
        this.errcode = errcode;
        this.status = status;
        this.extra = Map.copyOf(extra);
    }

    public ErrCode errcode() {
        return errcode;
    }

    public int status() {
        return status;
    }

    /** Extra top-level fields for the error body (e.g. UIA's {@code flows} and {@code session}). */
    public Map<String, Object> extra() {
        return extra;
    }

    public static MatrixException forbidden(String message) {
        return new MatrixException(ErrCode.M_FORBIDDEN, message);
    }

    public static MatrixException notFound(String message) {
        return new MatrixException(ErrCode.M_NOT_FOUND, message);
    }

    public static MatrixException badJson(String message) {
        return new MatrixException(ErrCode.M_BAD_JSON, message);
    }

    public static MatrixException invalidParam(String message) {
        return new MatrixException(ErrCode.M_INVALID_PARAM, message);
    }

    public static MatrixException missingParam(String message) {
        return new MatrixException(ErrCode.M_MISSING_PARAM, message);
    }
}
