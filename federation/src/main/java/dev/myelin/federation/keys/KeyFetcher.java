package dev.myelin.federation.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.ServerName;

/**
 * Fetches server key documents over the network; the homeserver implements it over HTTP, tests
 * in memory. Implementations may throw any {@link RuntimeException} on failure; {@link KeyRing}
 * verifies everything they return, so they need not.
 */
public interface KeyFetcher {
    /** The body of {@code GET /_matrix/key/v2/server} on {@code server}. */
    ObjectNode fetchDirect(ServerName server);

    /**
     * The whole response body ({@code {"server_keys": [...]}}) of
     * {@code POST /_matrix/key/v2/query} on {@code notary}, asking for all keys of {@code server}
     * with {@code minimum_valid_until_ts} set to {@code minimumValidUntilTs}.
     */
    ObjectNode queryNotary(ServerName notary, ServerName server, long minimumValidUntilTs);
}
