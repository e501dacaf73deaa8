package dev.myelin.homeserver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.homeserver.config.HomeserverConfig.Listen;
import dev.myelin.homeserver.config.HomeserverConfig.Registration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ConfigLoader}: defaults, the YAML file, environment overrides and the errors it reports. */
class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void defaultsWithoutFileOrEnvironment() {
        HomeserverConfig config = ConfigLoader.load(Optional.empty(), Map.of());
        assertEquals("localhost", config.serverName().value());
        assertEquals(new Listen("127.0.0.1", 8008), config.listen());
        Path dataDir = Path.of("./data").toAbsolutePath().normalize();
        assertEquals(dataDir, config.dataDir());
        assertEquals("jdbc:sqlite:" + dataDir.resolve("myelin.db"), config.databaseUrl());
        assertEquals(8, config.databasePoolSize());
        assertEquals(Registration.OPEN, config.registration());
        assertEquals(1 << 20, config.maxBodyBytes());
        assertFalse(config.isPostgres());
    }

    @Test
    void readsEverySettingFromTheYamlFile() throws IOException {
        Path file = yaml("""
                server_name: example.org
                listen: "[::1]:9000"
                data_dir: %s
                database:
                  url: jdbc:postgresql://db.example.org/myelin
                  pool_size: 20
                registration: Closed
                limits:
                  max_body_bytes: 200000
                """.formatted(dir.resolve("state")));
        HomeserverConfig config = ConfigLoader.load(Optional.of(file), Map.of());
        assertEquals("example.org", config.serverName().value());
        assertEquals(new Listen("::1", 9000), config.listen());
        assertEquals(dir.resolve("state"), config.dataDir());
        assertEquals("jdbc:postgresql://db.example.org/myelin", config.databaseUrl());
        assertTrue(config.isPostgres());
        assertEquals(20, config.databasePoolSize());
        assertEquals(Registration.CLOSED, config.registration());
        assertEquals(200000, config.maxBodyBytes());
    }

    @Test
    void sqliteDatabaseLivesInTheConfiguredDataDir() throws IOException {
        Path file = yaml("data_dir: " + dir.resolve("d") + "\n");
        HomeserverConfig config = ConfigLoader.load(Optional.of(file), Map.of());
        assertEquals("jdbc:sqlite:" + dir.resolve("d").resolve("myelin.db"), config.databaseUrl());
    }

    @Test
    void environmentWinsOverTheFile() throws IOException {
        Path file = yaml("""
                server_name: file.example
                listen: 127.0.0.1:8008
                registration: open
                database:
                  pool_size: 4
                limits:
                  max_body_bytes: 100000
                """);
        HomeserverConfig config = ConfigLoader.load(Optional.of(file), Map.of(
                "MYELIN_SERVER_NAME", "env.example",
                "MYELIN_LISTEN", "0.0.0.0:0",
                "MYELIN_REGISTRATION", " closed ",
                "MYELIN_DATABASE_URL", "jdbc:sqlite:/tmp/x.db",
                "MYELIN_DATABASE_POOL_SIZE", "3",
                "MYELIN_MAX_BODY_BYTES", "70000"));
        assertEquals("env.example", config.serverName().value());
        assertEquals(new Listen("0.0.0.0", 0), config.listen());
        assertEquals(Registration.CLOSED, config.registration());
        assertEquals("jdbc:sqlite:/tmp/x.db", config.databaseUrl());
        assertEquals(3, config.databasePoolSize());
        assertEquals(70000, config.maxBodyBytes());
    }

    @Test
    void blankEnvironmentValueFallsBackToTheFile() throws IOException {
        Path file = yaml("server_name: file.example\n");
        HomeserverConfig config = ConfigLoader.load(Optional.of(file), Map.of("MYELIN_SERVER_NAME", "  "));
        assertEquals("file.example", config.serverName().value());
    }

    @Test
    void badServerName() {
        assertMessage(env("MYELIN_SERVER_NAME", "not a name!"), "server_name", "not a name!");
    }

    @Test
    void badListenAddresses() {
        assertMessage(env("MYELIN_LISTEN", "8008"), "listen address must be host:port", "8008");
        assertMessage(env("MYELIN_LISTEN", "localhost:"), "listen address must be host:port", "localhost:");
        assertMessage(env("MYELIN_LISTEN", "localhost:http"), "listen port", "localhost:http");
        assertMessage(env("MYELIN_LISTEN", "localhost:70000"), "listen port", "70000");
    }

    @Test
    void badRegistration() {
        assertMessage(env("MYELIN_REGISTRATION", "invite-only"), "registration must be 'open' or 'closed'",
                "invite-only");
    }

    @Test
    void badDatabaseUrl() {
        assertMessage(env("MYELIN_DATABASE_URL", "jdbc:mysql://db/x"), "database url must start with",
                "jdbc:mysql://db/x");
    }

    @Test
    void badPoolSizes() {
        assertMessage(env("MYELIN_DATABASE_POOL_SIZE", "0"), "database.pool_size must be an integer between 1 and 200",
                "'0'");
        assertMessage(env("MYELIN_DATABASE_POOL_SIZE", "201"), "database.pool_size", "'201'");
        assertMessage(env("MYELIN_DATABASE_POOL_SIZE", "eight"), "database.pool_size", "'eight'");
    }

    @Test
    void badBodyLimit() {
        assertMessage(env("MYELIN_MAX_BODY_BYTES", "1024"), "limits.max_body_bytes must be an integer between 65536",
                "'1024'");
    }

    @Test
    void badValueInTheFileIsReportedToo() throws IOException {
        Path file = yaml("database:\n  pool_size: lots\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.of(file), Map.of()));
        assertTrue(e.getMessage().contains("database.pool_size"), e.getMessage());
    }

    @Test
    void missingFile() {
        Path missing = dir.resolve("nope.yaml");
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Optional.of(missing), Map.of()));
        assertEquals("config file not found: " + missing, e.getMessage());
    }

    @Test
    void directoryIsNotAConfigFile() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.of(dir), Map.of()));
        assertTrue(e.getMessage().startsWith("config file not found"), e.getMessage());
    }

    @Test
    void unparsableYaml() throws IOException {
        Path file = yaml("server_name: [unclosed\n  listen: : :\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.of(file), Map.of()));
        assertTrue(e.getMessage().startsWith("cannot read config file " + file), e.getMessage());
    }

    private static Map<String, String> env(String name, String value) {
        return Map.of(name, value);
    }

    private static void assertMessage(Map<String, String> env, String... fragments) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.empty(), env));
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' should mention " + fragment);
        }
    }

    private Path yaml(String text) throws IOException {
        Path file = Files.createTempFile(dir, "myelin", ".yaml");
        Files.writeString(file, text);
        return file;
    }
}
