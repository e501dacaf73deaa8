package dev.myelin.homeserver.http;

/**
 * One Client-Server API endpoint. It returns the response body (a record, a map or a JSON node)
 * for a 200, or a {@link Reply} for another status; failures are thrown as
 * {@link MatrixException}.
 */
@FunctionalInterface
public interface Endpoint {
    Object handle(MatrixRequest request);
}
