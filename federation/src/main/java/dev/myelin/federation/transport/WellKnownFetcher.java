package dev.myelin.federation.transport;

import java.io.IOException;

/**
 * Fetches {@code GET https://<hostname>/.well-known/matrix/server}, following 30x redirects
 * (a bounded number, so no loops) with normal X.509 certificate validation.
 */
@FunctionalInterface
public interface WellKnownFetcher {
    /** The final response; throws when no response could be had at all. */
    Response fetch(String hostname) throws IOException;

    /**
     * A well-known response.
     *
     * @param status the HTTP status
     * @param body the body as text (assumed JSON whatever its content type)
     * @param cacheControl the {@code Cache-Control} header, or null
     * @param expires the {@code Expires} header, or null
     */
    record Response(int status, String body, String cacheControl, String expires) {
    }
}
