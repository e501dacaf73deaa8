package dev.myelin.homeserver.service.federation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.keys.KeyFetcher;
import dev.myelin.federation.keys.KeyRing;
import dev.myelin.federation.keys.OldVerifyKey;
import dev.myelin.federation.transport.AddressPolicy;
import dev.myelin.federation.transport.FederationClient;
import dev.myelin.federation.transport.ServerResolver;
import dev.myelin.homeserver.http.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The outbound side of federation that everything else builds on: the signed HTTP client (with
 * server discovery and the private-address policy), the key ring that fetches and caches other
 * servers' keys directly or through the trusted notaries, and the typed requests.
 */
public record FederationTransport(FederationClient client, KeyRing keys, FederationRequests requests,
                                  PduChecks checks) implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    public static FederationTransport create(ServerName self, SigningKey key, List<OldVerifyKey> oldKeys,
                                             boolean verifyTls, AddressPolicy policy,
                                             List<ServerName> notaries, Clock clock) {
        ServerResolver resolver = ServerResolver.create(policy, verifyTls, TIMEOUT);
        FederationClient client = new FederationClient(self, key, resolver, policy, verifyTls, TIMEOUT);
        KeyRing keys = new KeyRing(self, key, oldKeys, fetcher(client), notaries, clock);
        return new FederationTransport(client, keys, new FederationRequests(client), new PduChecks(keys));
    }

    /** Keys over HTTP: {@code GET /_matrix/key/v2/server} and a notary's {@code POST /_matrix/key/v2/query}. */
    private static KeyFetcher fetcher(FederationClient client) {
        return new KeyFetcher() {
            @Override
            public ObjectNode fetchDirect(ServerName server) {
                return (ObjectNode) client.getUnsigned(server, "/_matrix/key/v2/server");
            }

            @Override
            public ObjectNode queryNotary(ServerName notary, ServerName server, long minimumValidUntilTs) {
                ObjectNode body = Json.object();
                // No key IDs: every key of the server, each valid at least until the given time.
                body.putObject("server_keys").putObject(server.value());
                return (ObjectNode) client.post(notary, "/_matrix/key/v2/query", body);
            }
        };
    }

    @Override
    public void close() {
        client.close();
    }
}
