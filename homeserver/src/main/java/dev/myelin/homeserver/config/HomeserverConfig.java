package dev.myelin.homeserver.config;

import dev.myelin.federation.id.ServerName;
import java.nio.file.Path;

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
 */
public record HomeserverConfig(
        ServerName serverName,
        Listen listen,
        Path dataDir,
        String databaseUrl,
        int databasePoolSize,
        Registration registration,
        long maxBodyBytes) {

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

    public boolean isPostgres() {
        return databaseUrl.startsWith("jdbc:postgresql:");
    }
}
