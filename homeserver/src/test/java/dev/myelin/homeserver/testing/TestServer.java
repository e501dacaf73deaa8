package dev.myelin.homeserver.testing;

import dev.myelin.federation.id.ServerName;
import dev.myelin.homeserver.HomeserverApp;
import dev.myelin.homeserver.config.HomeserverConfig;
import dev.myelin.homeserver.config.HomeserverConfig.Listen;
import dev.myelin.homeserver.config.HomeserverConfig.Registration;
import java.nio.file.Path;
import java.time.Clock;

/** A real homeserver on a free loopback port, on a fresh SQLite or PostgreSQL database. */
public final class TestServer implements AutoCloseable {
    private final HomeserverApp app;
    private final String databaseUrl;
    private final boolean dropOnClose;
    private Path dataDir;

    private TestServer(HomeserverApp app, String databaseUrl, boolean dropOnClose) {
        this.app = app;
        this.databaseUrl = databaseUrl;
        this.dropOnClose = dropOnClose;
    }

    public static TestServer sqlite() {
        return sqlite(Clock.systemUTC());
    }

    public static TestServer postgres() {
        return postgres(Clock.systemUTC());
    }

    /** On SQLite, with the clock that typing and presence timeouts read. */
    public static TestServer sqlite(Clock clock) {
        Path dir = TestDatabases.tempDir("myelin-test");
        return start(dir, TestDatabases.freshSqlite(dir), clock);
    }

    /** On PostgreSQL, with the clock that typing and presence timeouts read. */
    public static TestServer postgres(Clock clock) {
        return start(TestDatabases.tempDir("myelin-test"), TestDatabases.freshPostgres(), clock);
    }

    public static TestServer start(Path dataDir, String databaseUrl) {
        return start(dataDir, databaseUrl, Clock.systemUTC());
    }

    public static TestServer start(Path dataDir, String databaseUrl, Clock clock) {
        HomeserverConfig config = new HomeserverConfig(new ServerName("localhost"), new Listen("127.0.0.1", 0),
                dataDir, databaseUrl, 8, Registration.OPEN, 1 << 20, HomeserverConfig.Federation.disabled());
        return new TestServer(HomeserverApp.start(config, clock), databaseUrl, true);
    }

    /** A server on an existing data directory and database, which it leaves in place when closed (for restarts). */
    public static TestServer reopen(Path dataDir, String databaseUrl) {
        HomeserverConfig config = new HomeserverConfig(new ServerName("localhost"), new Listen("127.0.0.1", 0),
                dataDir, databaseUrl, 8, Registration.OPEN, 1 << 20, HomeserverConfig.Federation.disabled());
        return new TestServer(HomeserverApp.start(config), databaseUrl, false);
    }

    /**
     * A server that federates, named {@code localhost:<port>} with its TLS federation listener on
     * that loopback port (self-signed certificate), loopback allowed as a federation target and
     * certificates not verified. Reopening the same data directory and port restarts it.
     */
    public static TestServer federated(Path dataDir, String databaseUrl, int port, boolean dropOnClose) {
        var federation = new HomeserverConfig.Federation(true, new Listen("127.0.0.1", port), null, null, false,
                "127.0.0.0/8,::1/128", java.util.List.of());
        HomeserverConfig config = new HomeserverConfig(new ServerName("localhost:" + port), new Listen("127.0.0.1", 0),
                dataDir, databaseUrl, 8, Registration.OPEN, 1 << 20, federation);
        TestServer server = new TestServer(HomeserverApp.start(config), databaseUrl, dropOnClose);
        server.dataDir = dataDir;
        return server;
    }

    /** A free loopback port, for a federated server whose name must carry its port before it starts. */
    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public int federationPort() {
        return app.federationPort();
    }

    public Path dataDir() {
        return dataDir;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + app.port();
    }

    public boolean isPostgres() {
        return databaseUrl.startsWith("jdbc:postgresql:");
    }

    @Override
    public void close() {
        app.close();
        if (isPostgres() && dropOnClose) {
            TestDatabases.dropPostgres(databaseUrl);
        }
    }
}
