package dev.myelin.homeserver.tls;

import dev.myelin.homeserver.config.HomeserverConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;

/**
 * The TLS listener on {@code federation.listen} (8448 by default). It serves the same routing as the
 * plain listener, so the client API is reachable over HTTPS there too, as on Synapse.
 */
public final class FederationListener {
    /** The name of the WebServer socket. */
    public static final String SOCKET = "federation";

    private FederationListener() {
    }

    /** Adds the listener to {@code server} when federation is enabled; otherwise leaves it unchanged. */
    public static void addTo(WebServerConfig.Builder server, HomeserverConfig config, HttpRouting.Builder routing) {
        HomeserverConfig.Federation federation = config.federation();
        if (!federation.enabled()) {
            return;
        }
        TlsMaterial material = material(config);
        server.putSocket(SOCKET, socket -> socket
                .host(federation.listen().host())
                .port(federation.listen().port())
                .tls(material.tls())
                .routing(routing));
    }

    /** The configured PEM pair, or the self-signed one in the data directory. */
    public static TlsMaterial material(HomeserverConfig config) {
        HomeserverConfig.Federation federation = config.federation();
        return federation.usesSelfSignedCertificate()
                ? SelfSignedCertificate.loadOrGenerate(config.dataDir(), config.serverName())
                : TlsMaterial.load(federation.tlsCert(), federation.tlsKey());
    }

    /** The bound port of the listener, or -1 when there is none. */
    public static int port(WebServer server) {
        return server.port(SOCKET);
    }
}
