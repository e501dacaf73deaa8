package dev.myelin.homeserver.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.homeserver.testing.TestDatabases;
import dev.myelin.homeserver.testing.TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real Matrix clients against a real server, once per database: matrix-js-sdk (the Node tests in
 * {@code e2e/js}) and matrix-nio (Debian's python3-matrix-nio, {@code e2e/python/test_nio.py}).
 * Their output goes to the test log; a client run that exits non-zero fails the test.
 *
 * <p>Needs {@code node} with {@code e2e/node_modules} installed ({@code scripts/test} runs
 * {@code npm ci}) and {@code /usr/bin/python3} with {@code nio} importable.
 */
class RealClientsTest {
    private static final Duration JS_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration PYTHON_TIMEOUT = Duration.ofMinutes(3);
    private static final String PYTHON = "/usr/bin/python3";
    /** Needs two servers: run by {@link #realClientsAcrossFederatingServers}, not with the others. */
    private static final String FEDERATION_JS = "federation.test.mjs";

    static Stream<Arguments> databases() {
        return Stream.of(
                Arguments.of("sqlite", (Callable<TestServer>) TestServer::sqlite),
                Arguments.of("postgres", (Callable<TestServer>) TestServer::postgres));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void realClientsWork(String database, Callable<TestServer> start) throws Exception {
        Path root = checkoutRoot();
        Path e2e = root.resolve("e2e");
        assertTrue(Files.isDirectory(e2e.resolve("node_modules/matrix-js-sdk")),
                "e2e/node_modules is missing: run `npm ci` in " + e2e + " (scripts/test does this)");
        try (TestServer server = start.call()) {
            List<String> jsCommand = new ArrayList<>(List.of(
                    Optional.ofNullable(System.getenv("MYELIN_NODE")).orElse("node"), "--test", "--test-force-exit", "--test-reporter=spec"));
            jsCommand.addAll(jsTestFiles(e2e.resolve("js")));
            int js = run("js-sdk " + database, e2e, server.baseUrl(), JS_TIMEOUT, jsCommand);
            int nio = run("nio " + database, root, server.baseUrl(), PYTHON_TIMEOUT,
                    List.of(PYTHON, "e2e/python/test_nio.py"));
            assertAll(
                    () -> assertEquals(0, js, "matrix-js-sdk tests failed on " + database + " (see the log above)"),
                    () -> assertEquals(0, nio, "matrix-nio tests failed on " + database + " (see the log above)"));
        }
    }

    /** matrix-js-sdk clients of two federating servers talk to each other ({@code e2e/js/federation.test.mjs}). */
    @Test
    void realClientsAcrossFederatingServers() throws Exception {
        Path root = checkoutRoot();
        Path e2e = root.resolve("e2e");
        Path dirA = TestDatabases.tempDir("myelin-e2e-fed-a");
        Path dirB = TestDatabases.tempDir("myelin-e2e-fed-b");
        try (TestServer a = TestServer.federated(dirA, TestDatabases.freshSqlite(dirA), TestServer.freePort(), true);
             TestServer b = TestServer.federated(dirB, TestDatabases.freshSqlite(dirB), TestServer.freePort(), true)) {
            int js = run("js-sdk federation", e2e, Map.of("MYELIN_URL", a.baseUrl(), "MYELIN_URL_B", b.baseUrl()),
                    JS_TIMEOUT, List.of(Optional.ofNullable(System.getenv("MYELIN_NODE")).orElse("node"), "--test",
                            "--test-force-exit", "--test-reporter=spec", "js/" + FEDERATION_JS));
            assertEquals(0, js, "matrix-js-sdk federation test failed (see the log above)");
        }
    }

    /** Runs a client program with MYELIN_URL set, streaming its output; returns the exit code. */
    private static int run(String label, Path dir, String baseUrl, Duration timeout, List<String> command)
            throws IOException, InterruptedException {
        return run(label, dir, Map.of("MYELIN_URL", baseUrl), timeout, command);
    }

    private static int run(String label, Path dir, Map<String, String> env, Duration timeout, List<String> command)
            throws IOException, InterruptedException {
        System.out.println("[" + label + "] $ " + String.join(" ", command));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("NO_COLOR", "1");
        Process process = builder.start();
        process.getOutputStream().close();
        Thread pump = Thread.ofVirtual().start(() -> copyLines(label, process));
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            pump.join(Duration.ofSeconds(5));
            throw new AssertionError("[" + label + "] did not finish within " + timeout);
        }
        pump.join(Duration.ofSeconds(10));
        System.out.println("[" + label + "] exit code " + process.exitValue());
        return process.exitValue();
    }

    private static void copyLines(String label, Process process) {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                System.out.println("[" + label + "] " + line);
            }
        } catch (IOException e) {
            System.out.println("[" + label + "] output lost: " + e);
        }
    }

    /** The test files of e2e/js, named explicitly so every Node version runs the same set. */
    private static List<String> jsTestFiles(Path jsDir) throws IOException {
        try (Stream<Path> files = Files.list(jsDir)) {
            List<String> names = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".test.mjs") && !n.equals(FEDERATION_JS)).sorted().map(n -> "js/" + n)
                    .toList();
            assertTrue(!names.isEmpty(), "No *.test.mjs files in " + jsDir);
            return names;
        }
    }

    /** The checkout root: the directory holding e2e/package.json, from myelin.root or the working directory up. */
    private static Path checkoutRoot() {
        List<Path> starts = new ArrayList<>();
        Optional.ofNullable(System.getProperty("myelin.root")).filter(s -> !s.isBlank()).map(Path::of)
                .ifPresent(starts::add);
        starts.add(Path.of(System.getProperty("user.dir")));
        for (Path start : starts) {
            for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
                if (Files.isRegularFile(dir.resolve("e2e/package.json"))) {
                    return dir;
                }
            }
        }
        throw new IllegalStateException("Cannot find e2e/package.json above " + starts);
    }
}
