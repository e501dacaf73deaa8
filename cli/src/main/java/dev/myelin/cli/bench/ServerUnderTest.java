package dev.myelin.cli.bench;

import dev.myelin.cli.CliFailure;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The homeserver being measured: its URL and, when known, the pid whose CPU time and RSS are
 * sampled from {@code /proc}. It may be a process this bench launched itself ({@code --launch}),
 * in which case the start-up time and idle RSS are recorded and the process is stopped on close.
 */
public final class ServerUnderTest implements AutoCloseable {
  private static final Duration STARTUP_LIMIT = Duration.ofSeconds(120);

  private final URI url;
  private final long pid;
  private final Process process;
  private final Path workDir;
  private String serverName = "localhost";
  private boolean keepWorkDir;
  private PrintStream out;
  private final long clkTck = ProcStats.clockTicksPerSecond();
  private long startupNanos = -1;
  private ProcStats.Sample idle;
  private Thread shutdownHook;

  private ServerUnderTest(URI url, long pid, Process process, Path workDir) {
    this.url = url;
    this.pid = pid;
    this.process = process;
    this.workDir = workDir;
  }

  /** A server whose process is unknown: no CPU or RSS figures. */
  public static ServerUnderTest remote(URI url) {
    return new ServerUnderTest(url, -1, null, null);
  }

  /** A server already running as {@code pid}. */
  public static ServerUnderTest attach(URI url, long pid) {
    if (!Files.isReadable(Path.of("/proc", Long.toString(pid), "status"))) {
      throw new CliFailure("--pid " + pid + ": no such process (or /proc is not readable)");
    }
    return new ServerUnderTest(url, pid, null, null);
  }

  /** Starts {@code java -jar jar} on a free loopback port with a fresh data directory, without federation. */
  public static ServerUnderTest launch(Path jar, String databaseUrl, List<String> jvmArgs, PrintStream out)
      throws IOException, InterruptedException {
    return launch(jar, databaseUrl, jvmArgs, out, false);
  }

  /**
   * Starts {@code java -jar jar} on a free loopback port with a fresh data directory. With
   * {@code federation}, the server is named {@code localhost:P} and serves federation over TLS on
   * loopback port P (self-signed certificate, verification off, loopback targets allowed), so that
   * two such servers federate with each other.
   */
  public static ServerUnderTest launch(
      Path jar, String databaseUrl, List<String> jvmArgs, PrintStream out, boolean federation)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(jar)) {
      throw new CliFailure("--launch " + jar + ": no such file");
    }
    int port = freePort();
    int federationPort = -1;
    while (federation && (federationPort < 0 || federationPort == port)) {
      federationPort = freePort();
    }
    String serverName = federation ? "localhost:" + federationPort : "localhost";
    Path work = Files.createTempDirectory("myelin-bench-");
    Path data = Files.createDirectories(work.resolve("data"));
    Path log = work.resolve("server.log");
    List<String> command = new java.util.ArrayList<>();
    command.add(javaExecutable());
    command.addAll(jvmArgs);
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("MYELIN_LISTEN", "127.0.0.1:" + port);
    pb.environment().put("MYELIN_DATA_DIR", data.toString());
    pb.environment().put("MYELIN_SERVER_NAME", serverName);
    pb.environment().put("MYELIN_REGISTRATION", "open");
    if (federation) {
      pb.environment().put("MYELIN_FEDERATION_ENABLED", "true");
      pb.environment().put("MYELIN_FEDERATION_LISTEN", "127.0.0.1:" + federationPort);
      pb.environment().put("MYELIN_FEDERATION_VERIFY_TLS", "false");
      pb.environment().put("MYELIN_FEDERATION_ALLOWED_PRIVATE_TARGETS", "127.0.0.0/8,::1/128");
    } else {
      pb.environment().put("MYELIN_FEDERATION_ENABLED", "false");
    }
    if (databaseUrl != null) {
      pb.environment().put("MYELIN_DATABASE_URL", databaseUrl);
    }
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    URI url = URI.create("http://127.0.0.1:" + port);
    out.printf("Launching %s on %s as %s (log: %s)%n", jar, url, serverName, log);
    long t0 = System.nanoTime();
    Process p = pb.start();
    ServerUnderTest s = new ServerUnderTest(url, p.pid(), p, work);
    s.out = out;
    s.serverName = serverName;
    s.shutdownHook = new Thread(p::destroyForcibly, "myelin-bench-server-killer");
    Runtime.getRuntime().addShutdownHook(s.shutdownHook);
    try {
      s.awaitVersions(t0, log);
      Thread.sleep(1000); // let start-up allocations settle before the idle reading
      s.idle = ProcStats.read(p.pid());
    } catch (IOException | InterruptedException | RuntimeException e) {
      s.close(false);
      throw e;
    }
    return s;
  }

  private void awaitVersions(long t0, Path log) throws InterruptedException {
    try (MatrixClient c = new MatrixClient(url)) {
      long deadline = t0 + STARTUP_LIMIT.toNanos();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new CliFailure("server exited with code " + process.exitValue() + " during start-up" + tail(log));
        }
        try {
          if (c.versions(Duration.ofSeconds(2))) {
            startupNanos = System.nanoTime() - t0;
            return;
          }
        } catch (IOException | CliFailure e) {
          // not listening yet
        }
        Thread.sleep(10);
      }
    }
    throw new CliFailure("server did not answer GET /_matrix/client/versions within " + STARTUP_LIMIT + tail(log));
  }

  public URI url() {
    return url;
  }

  /** The server's Matrix name: {@code localhost:P} when launched with federation, else {@code localhost}. */
  public String serverName() {
    return serverName;
  }

  /** The launched server's log file, or null. */
  public Path log() {
    return workDir == null ? null : workDir.resolve("server.log");
  }

  /** Keeps the launched server's data directory and log after close (e.g. after a failed scenario). */
  public void keepWorkDir() {
    keepWorkDir = true;
  }

  /** Whether CPU and RSS can be sampled. */
  public boolean measurable() {
    return pid > 0;
  }

  public long pid() {
    return pid;
  }

  public long clockTicksPerSecond() {
    return clkTck;
  }

  /** Samples the server process; requires {@link #measurable()}. */
  public ProcStats.Sample sample() {
    try {
      return ProcStats.read(pid);
    } catch (IOException e) {
      throw new CliFailure("cannot read /proc/" + pid + " (has the server exited?): " + e.getMessage());
    }
  }

  /** Nanoseconds from process start to the first answered {@code /versions}, or -1. */
  public long startupNanos() {
    return startupNanos;
  }

  /** RSS reading taken one second after start-up, or null when not launched here. */
  public ProcStats.Sample idle() {
    return idle;
  }

  public boolean launched() {
    return process != null;
  }

  @Override
  public void close() {
    close(true);
  }

  private void close(boolean deleteWorkDir) {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down
    }
    long problems = countProblems(workDir.resolve("server.log"));
    if (problems > 0) {
      out.printf("%nServer log has %d SEVERE/WARNING/exception lines; kept %s%n", problems, workDir);
    } else if (keepWorkDir) {
      out.printf("%nKept %s%n", workDir);
    } else if (deleteWorkDir) {
      deleteTree(workDir);
    }
  }

  /** Counts log lines that look like trouble (JUL levels, exceptions, stack frames excluded). */
  static long countProblems(Path log) {
    try (Stream<String> lines = Files.lines(log)) {
      return lines.filter(l -> l.startsWith("SEVERE:") || l.startsWith("WARNING:")
              || (!l.startsWith("\tat ") && l.contains("Exception")))
          .count();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0;
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // best effort: it is a temp dir
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      List<String> last = lines.subList(Math.max(0, lines.size() - 20), lines.size());
      return "; last lines of " + log + ":\n  " + String.join("\n  ", last);
    } catch (IOException e) {
      return "; see " + log;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return s.getLocalPort();
    }
  }

  private static String javaExecutable() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
