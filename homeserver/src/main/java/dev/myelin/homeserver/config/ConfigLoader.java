package dev.myelin.homeserver.config;

import dev.myelin.federation.id.ServerName;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a {@link HomeserverConfig} from an optional YAML file and {@code MYELIN_*} environment
 * variables, which win over the file.
 *
 * <pre>
 * server_name: example.org        # MYELIN_SERVER_NAME
 * listen: 127.0.0.1:8008          # MYELIN_LISTEN
 * data_dir: ./data                # MYELIN_DATA_DIR
 * database:
 *   url: jdbc:postgresql://...    # MYELIN_DATABASE_URL (default: SQLite in data_dir)
 *   pool_size: 8                  # MYELIN_DATABASE_POOL_SIZE
 * registration: open              # MYELIN_REGISTRATION (open | closed)
 * limits:
 *   max_body_bytes: 1048576       # MYELIN_MAX_BODY_BYTES
 * federation:
 *   enabled: true                 # MYELIN_FEDERATION_ENABLED (true | false)
 *   listen: 0.0.0.0:8448          # MYELIN_FEDERATION_LISTEN (TLS; serves the client API too)
 *   tls_cert: /etc/myelin/tls.crt # MYELIN_TLS_CERT (PEM chain; default: self-signed, data_dir/tls.crt)
 *   tls_key: /etc/myelin/tls.key  # MYELIN_TLS_KEY (PEM key; set together with tls_cert)
 *   verify_tls: true              # MYELIN_FEDERATION_VERIFY_TLS (true | false)
 *   allowed_private_targets: 10.0.0.0/8,fd00::/8  # MYELIN_FEDERATION_ALLOWED_PRIVATE_TARGETS
 *   trusted_key_servers:          # MYELIN_FEDERATION_TRUSTED_KEY_SERVERS (comma-separated)
 *     - matrix.org
 * </pre>
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    public static HomeserverConfig load(Optional<Path> file, Map<String, String> env) {
        Config yaml = Config.empty();
        if (file.isPresent()) {
            Path path = file.get();
            if (!Files.isRegularFile(path)) {
                throw new ConfigException("config file not found: " + path);
            }
            try {
                yaml = Config.builder()
                        .disableEnvironmentVariablesSource()
                        .disableSystemPropertiesSource()
                        .sources(ConfigSources.file(path))
                        .build();
                yaml.traverse().count();
            } catch (RuntimeException e) {
                throw new ConfigException("cannot read config file " + path + ": " + e.getMessage());
            }
        }
        Settings s = new Settings(yaml, env);
        String serverNameText = s.get("server_name", "MYELIN_SERVER_NAME").orElse("localhost");
        if (!ServerName.isValid(serverNameText)) {
            throw new ConfigException("server_name is not a valid Matrix server name: '" + serverNameText + "'");
        }
        var listen = HomeserverConfig.Listen.parse(s.get("listen", "MYELIN_LISTEN").orElse("127.0.0.1:8008"));
        Path dataDir = Path.of(s.get("data_dir", "MYELIN_DATA_DIR").orElse("./data")).toAbsolutePath().normalize();
        String databaseUrl = s.get("database.url", "MYELIN_DATABASE_URL")
                .orElse("jdbc:sqlite:" + dataDir.resolve("myelin.db"));
        if (!databaseUrl.startsWith("jdbc:sqlite:") && !databaseUrl.startsWith("jdbc:postgresql:")) {
            throw new ConfigException("database url must start with jdbc:sqlite: or jdbc:postgresql:, got '"
                    + databaseUrl + "'");
        }
        int poolSize = s.integer("database.pool_size", "MYELIN_DATABASE_POOL_SIZE", 8, 1, 200);
        String registrationText = s.get("registration", "MYELIN_REGISTRATION").orElse("open");
        HomeserverConfig.Registration registration = switch (registrationText.toLowerCase(Locale.ROOT)) {
            case "open" -> HomeserverConfig.Registration.OPEN;
            case "closed" -> HomeserverConfig.Registration.CLOSED;
            default -> throw new ConfigException("registration must be 'open' or 'closed', got '" + registrationText + "'");
        };
        long maxBody = s.integer("limits.max_body_bytes", "MYELIN_MAX_BODY_BYTES", 1 << 20, 65536, 1 << 30);
        return new HomeserverConfig(new ServerName(serverNameText), listen, dataDir, databaseUrl, (int) poolSize,
                registration, maxBody, federation(s));
    }

    private static HomeserverConfig.Federation federation(Settings s) {
        boolean enabled = s.bool("federation.enabled", "MYELIN_FEDERATION_ENABLED", true);
        var listen = HomeserverConfig.Listen.parse(
                s.get("federation.listen", "MYELIN_FEDERATION_LISTEN").orElse("0.0.0.0:8448"));
        Path cert = s.get("federation.tls_cert", "MYELIN_TLS_CERT").map(ConfigLoader::absolute).orElse(null);
        Path key = s.get("federation.tls_key", "MYELIN_TLS_KEY").map(ConfigLoader::absolute).orElse(null);
        boolean verifyTls = s.bool("federation.verify_tls", "MYELIN_FEDERATION_VERIFY_TLS", true);
        String allowed = s.get("federation.allowed_private_targets", "MYELIN_FEDERATION_ALLOWED_PRIVATE_TARGETS")
                .orElse("");
        try {
            HomeserverConfig.Federation.addressPolicy(allowed);
        } catch (ConfigException e) {
            throw new ConfigException("federation.allowed_private_targets: " + e.getMessage());
        }
        List<ServerName> keyServers = new ArrayList<>();
        for (String name : s.list("federation.trusted_key_servers", "MYELIN_FEDERATION_TRUSTED_KEY_SERVERS")) {
            if (!ServerName.isValid(name)) {
                throw new ConfigException("federation.trusted_key_servers: not a valid server name: '" + name + "'");
            }
            keyServers.add(new ServerName(name));
        }
        return new HomeserverConfig.Federation(enabled, listen, cert, key, verifyTls, allowed, keyServers);
    }

    private static Path absolute(String path) {
        return Path.of(path).toAbsolutePath().normalize();
    }

    /** Looks a setting up in the environment first, then the YAML file. */
    private record Settings(Config yaml, Map<String, String> env) {
        Optional<String> get(String key, String envName) {
            String fromEnv = env.get(envName);
            if (fromEnv != null && !fromEnv.isBlank()) {
                return Optional.of(fromEnv.trim());
            }
            return yaml.get(key).asString().asOptional().map(String::trim).filter(v -> !v.isEmpty());
        }

        boolean bool(String key, String envName, boolean defaultValue) {
            Optional<String> text = get(key, envName);
            if (text.isEmpty()) {
                return defaultValue;
            }
            return switch (text.get().toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new ConfigException(key + " must be true or false, got '" + text.get() + "'");
            };
        }

        /** A YAML list (or one scalar), or the environment variable's comma-separated items. */
        List<String> list(String key, String envName) {
            String fromEnv = env.get(envName);
            List<String> items;
            if (fromEnv != null && !fromEnv.isBlank()) {
                items = List.of(fromEnv.split(","));
            } else {
                Config node = yaml.get(key);
                items = node.isLeaf() ? List.of(node.asString().orElse("").split(","))
                        : node.asList(String.class).orElse(List.of());
            }
            return items.stream().map(String::strip).filter(v -> !v.isEmpty()).toList();
        }

        int integer(String key, String envName, int defaultValue, int min, int max) {
            Optional<String> text = get(key, envName);
            if (text.isEmpty()) {
                return defaultValue;
            }
            try {
                int value = Integer.parseInt(text.get());
                if (value < min || value > max) {
                    throw new NumberFormatException();
                }
                return value;
            } catch (NumberFormatException e) {
                throw new ConfigException(key + " must be an integer between " + min + " and " + max
                        + ", got '" + text.get() + "'");
            }
        }
    }
}
