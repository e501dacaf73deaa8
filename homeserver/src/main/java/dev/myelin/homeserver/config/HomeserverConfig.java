package dev.myelin.homeserver.config;

import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.transport.AddressPolicy;
import java.nio.file.Path;
import java.util.List;

/**
 * The homeserver's settings, validated.
 *
 * @param serverName    the server name in user IDs and room IDs
 * @param listen        host and port of the Client-Server API listener
 * @param dataDir       where the SQLite database, signing key and media live
 * @param databaseUrl   a {@code jdbc:sqlite:} or {@code jdbc:postgresql:} URL
 * @param databasePoolSize maximum pooled database connections
 * @param registration  whether anyone may register an account
 * @param maxBodyBytes  largest accepted JSON request body
 * @param federation    the federation listener and outbound federation settings
 */
public record HomeserverConfig(
        ServerName serverName,
        Listen listen,
        Path dataDir,
        String databaseUrl,
        int databasePoolSize,
        Registration registration,
        long maxBodyBytes,
        Federation federation) {

    /** Whether anyone may create an account through {@code /register}. */
    public enum Registration { OPEN, CLOSED }

    /** A host and port to listen on; port 0 picks a free port. */
    public record Listen(String host, int port) {
        public static Listen parse(String value) {
            int colon = value.lastIndexOf(':');
            if (colon <= 0 || colon == value.length() - 1) {
                throw new ConfigException("listen address must be host:port, got '" + value + "'");
            }
            String host = value.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                int port = Integer.parseInt(value.substring(colon + 1));
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
                return new Listen(host, port);
            } catch (NumberFormatException e) {
                throw new ConfigException("listen port must be 0-65535, got '" + value + "'");
            }
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /**
     * Federation settings.
     *
     * @param enabled       whether the TLS listener for federation (and the client API over HTTPS) runs
     * @param listen        host and port of that listener (Matrix's default is 8448)
     * @param tlsCert       PEM certificate chain, or null for a self-signed one kept in the data directory
     * @param tlsKey        PEM private key of {@code tlsCert}; null exactly when {@code tlsCert} is
     * @param verifyTls     whether outbound federation requests check the remote server's certificate
     * @param allowedPrivateTargets comma-separated CIDRs of private addresses that outbound requests may
     *                      reach anyway (empty: none); each is checked by {@link AddressPolicy#parse}
     * @param trustedKeyServers notary servers asked for other servers' signing keys
     */
    public record Federation(boolean enabled, Listen listen, Path tlsCert, Path tlsKey,
                             boolean verifyTls, String allowedPrivateTargets, List<ServerName> trustedKeyServers) {
        public Federation {
            if ((tlsCert == null) != (tlsKey == null)) {
                throw new ConfigException("federation.tls_cert and federation.tls_key must be set together");
            }
            allowedPrivateTargets = allowedPrivateTargets == null ? "" : allowedPrivateTargets.strip();
            addressPolicy(allowedPrivateTargets);
            trustedKeyServers = List.copyOf(trustedKeyServers);
        }

        /** No federation listener; for tests and servers that stay private. */
        public static Federation disabled() {
            return new Federation(false, new Listen("0.0.0.0", 8448), null, null, true, "",
                    List.of());
        }

        /** The listener on {@code listen} with a self-signed certificate, verifying remote certificates. */
        public static Federation selfSigned(Listen listen) {
            return new Federation(true, listen, null, null, true, "", List.of());
        }

        /** Whether the listener uses the self-signed certificate from the data directory. */
        public boolean usesSelfSignedCertificate() {
            return tlsCert == null;
        }

        /** The outbound address policy {@link #allowedPrivateTargets} describes. */
        public AddressPolicy addressPolicy() {
            return addressPolicy(allowedPrivateTargets);
        }

        /** The policy for comma-separated CIDRs; a malformed one is a {@link ConfigException}. */
        public static AddressPolicy addressPolicy(String allowedPrivateTargets) {
            try {
                return AddressPolicy.parse(allowedPrivateTargets);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
        }
    }

    public boolean isPostgres() {
        return databaseUrl.startsWith("jdbc:postgresql:");
    }
}
