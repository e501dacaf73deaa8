package dev.myelin.homeserver;

import dev.myelin.homeserver.config.ConfigException;
import dev.myelin.homeserver.config.ConfigLoader;
import dev.myelin.homeserver.config.HomeserverConfig;
import dev.myelin.homeserver.service.ServerKeys;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Starts the homeserver: {@code java -jar myelin-homeserver.jar [--config PATH]}. With
 * {@code --rotate-signing-key} it retires the signing key in the data directory (published from
 * then on in {@code old_verify_keys}), makes a new one and exits. Exit status 2 means a bad
 * setting, 1 a failure to start.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Optional<Path> configFile = Optional.empty();
        boolean rotate = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config", "-c" -> {
                    if (i + 1 >= args.length) {
                        fail(2, "--config needs a file path");
                    }
                    configFile = Optional.of(Path.of(args[++i]));
                }
                case "--rotate-signing-key" -> rotate = true;
                case "--help", "-h" -> {
                    System.out.println("Usage: myelin-homeserver [--config PATH] [--rotate-signing-key]");
                    System.out.println("Settings come from the YAML file and MYELIN_* environment variables; see README.md.");
                    return;
                }
                default -> fail(2, "unknown argument: " + args[i]);
            }
        }
        HomeserverConfig config;
        try {
            config = ConfigLoader.load(configFile, System.getenv());
        } catch (ConfigException e) {
            fail(2, "configuration error: " + e.getMessage());
            return;
        }
        if (rotate) {
            var keys = ServerKeys.rotate(config.dataDir(), System.currentTimeMillis());
            System.out.println("New signing key " + keys.current().keyId() + "; " + keys.old().size()
                    + " retired key(s) published as old_verify_keys");
            return;
        }
        try {
            HomeserverApp app = HomeserverApp.start(config);
            Runtime.getRuntime().addShutdownHook(new Thread(app::close, "myelin-shutdown"));
            System.out.println("Myelin " + config.serverName() + " listening on http://" + config.listen().host()
                    + ":" + app.port() + (app.federationPort() > 0 ? ", federation on https://"
                    + config.federation().listen().host() + ":" + app.federationPort() : "")
                    + " (database: " + (config.isPostgres() ? "PostgreSQL" : "SQLite") + ")");
        } catch (RuntimeException e) {
            fail(1, "failed to start: " + rootMessage(e));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + cause.getMessage() + ")";
    }

    private static void fail(int status, String message) {
        System.err.println("myelin: " + message);
        System.exit(status);
    }
}
