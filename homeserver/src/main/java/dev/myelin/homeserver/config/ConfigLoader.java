package dev.myelin.homeserver.config;

import dev.myelin.federation.id.ServerName;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.nio.file.Files;
import java.nio.file.Path;
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
                registration, maxBody);
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
