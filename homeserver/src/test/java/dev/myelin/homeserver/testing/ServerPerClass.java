package dev.myelin.homeserver.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.homeserver.schema.SpecSchemas;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of HTTP behaviour suites: one {@link TestServer} per test class, shared by its tests, which
 * therefore register their own users ({@link #user}). Suites that run on both databases declare
 * their tests in an abstract subclass and run them in {@code @Nested} classes per backend.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ServerPerClass {
    private final Supplier<TestServer> start;
    private TestServer server;

    protected ServerPerClass(Supplier<TestServer> start) {
        this.start = start;
    }

    @BeforeAll
    final void startServer() {
        server = start.get();
    }

    @AfterAll
    final void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    protected TestServer server() {
        return server;
    }

    /** A newly registered user whose ID starts with {@code @name-}. */
    protected TestUser user(String name) {
        return TestUser.register(server, name);
    }

    /** Fails unless the body matches the specification's schema for a 200 answer of {@code GET /sync}. */
    protected static void assertSyncMatchesSpec(JsonNode sync) {
        List<String> problems = SpecSchemas.clientServer().validateResponse("/_matrix/client/v3/sync", "GET", 200, sync);
        assertEquals(List.of(), problems, "sync response does not match the specification: " + sync);
    }
}
