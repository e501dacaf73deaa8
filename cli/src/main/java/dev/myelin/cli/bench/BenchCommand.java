package dev.myelin.cli.bench;

import dev.myelin.cli.CliFailure;
import dev.myelin.cli.Myelin;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code myelin bench}: load scenarios against a homeserver on the loopback interface, speaking
 * only the Client-Server API over HTTP/1.1. Optionally launches the server itself and samples
 * its CPU time and RSS from {@code /proc}.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    versionProvider = Myelin.Version.class,
    description = "Measure a homeserver: sequential send->sync latency, /sync fan-out wake-up, initial /sync, "
        + "federation between two launched servers.")
public final class BenchCommand implements Callable<Integer> {

  /** Which scenarios to run. */
  public enum Scenario { sequential, fanout, initialsync, push, all, search, federation }

  /** The federation scenario's cap on measured messages per direction (one in flight at a time). */
  static final int FEDERATION_MAX_MESSAGES = 500;
  static final int FEDERATION_MAX_WARMUP = 1000;

  @ParentCommand private Myelin parent;

  @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "sequential",
      description = "sequential, fanout, initialsync, push, all (those four), search, or federation "
          + "(two servers, needs --launch; not part of all) (default: ${DEFAULT-VALUE}).")
  Scenario scenario;

  @Option(names = "--messages", paramLabel = "N", defaultValue = "2000",
      description = "Measured messages (default: ${DEFAULT-VALUE}).")
  int messages;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "200",
      description = "Warm-up messages (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--users", paramLabel = "U", defaultValue = "100",
      description = "Fan-out users (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(names = "--polls-per-user", paramLabel = "C", defaultValue = "10",
      description = "Parked /sync requests per fan-out user (default: ${DEFAULT-VALUE}).")
  int pollsPerUser;

  @Option(names = "--rounds", paramLabel = "R", defaultValue = "3",
      description = "Fan-out wake-up rounds (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--settle-ms", paramLabel = "MS", defaultValue = "2000",
      description = "Wait after issuing the fan-out polls before sending (default: ${DEFAULT-VALUE}).")
  long settleMs;

  @Option(names = "--rooms", paramLabel = "R", defaultValue = "200",
      description = "Initial sync: rooms of the measured user (default: ${DEFAULT-VALUE}).")
  int rooms;

  @Option(names = "--room-members", paramLabel = "M", defaultValue = "50",
      description = "Initial sync: members per room (default: ${DEFAULT-VALUE}).")
  int roomMembers;

  @Option(names = "--messages-per-room", paramLabel = "N", defaultValue = "10",
      description = "Initial sync: messages sent in each room (default: ${DEFAULT-VALUE}).")
  int messagesPerRoom;

  @Option(names = "--sync-runs", paramLabel = "N", defaultValue = "20",
      description = "Initial sync: measured repeats (default: ${DEFAULT-VALUE}).")
  int syncRuns;

  @Option(names = "--time-limit", paramLabel = "SECONDS", defaultValue = "600",
      description = "Upper bound in seconds on the sequential send phase (default: ${DEFAULT-VALUE}).")
  long timeLimitSeconds;

  @Option(names = "--search-queries", paramLabel = "Q", defaultValue = "50",
      description = "search: /search calls per term and order (default: ${DEFAULT-VALUE}).")
  int searchQueries;

  @Option(names = "--remote-room-members", paramLabel = "M", defaultValue = "1000",
      description = "federation: members of the room that a user of the other server joins (default: ${DEFAULT-VALUE}).")
  int remoteRoomMembers;

  @Option(names = "--remote-room-state", paramLabel = "S", defaultValue = "5000",
      description = "federation: state events of that room, topped up with m.bench.state (default: ${DEFAULT-VALUE}).")
  int remoteRoomState;

  @Option(names = "--database-url-b", paramLabel = "URL",
      description = "federation: MYELIN_DATABASE_URL of the second server, B (default: SQLite in its data dir).")
  String databaseUrlB;

  @Option(names = "--pid", paramLabel = "PID", description = "Pid of the running server, to sample its CPU and RSS.")
  Long pid;

  @Option(names = "--launch", paramLabel = "JAR",
      description = "Start this myelin-homeserver.jar on a free loopback port and stop it afterwards.")
  Path launch;

  @Option(names = "--database-url", paramLabel = "URL",
      description = "MYELIN_DATABASE_URL for the launched server (default: the server's own).")
  String databaseUrl;

  @Option(names = "--server-jvm-arg", paramLabel = "ARG",
      description = "Extra JVM option for the launched server, e.g. -Xmx512m (repeatable).")
  List<String> serverJvmArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    validate();
    PrintStream out = System.out;
    if (scenario == Scenario.federation) {
      return federation(out);
    }
    try (ServerUnderTest server = open(out)) {
      printServer(server, out);
      if (scenario == Scenario.search) {
        new SearchScenario(server, messages, searchQueries, out).run();
        return 0;
      }
      if (scenario == Scenario.sequential || scenario == Scenario.all) {
        new SequentialScenario(server, messages, warmup, timeLimitSeconds, out).run();
      }
      if (scenario == Scenario.fanout || scenario == Scenario.all) {
        new FanoutScenario(server, users, pollsPerUser, rounds, settleMs, out).run();
      }
      if (scenario == Scenario.initialsync || scenario == Scenario.all) {
        new InitialSyncScenario(server, rooms, roomMembers, messagesPerRoom, syncRuns, out).run();
      }
      if (scenario == Scenario.push || scenario == Scenario.all) {
        new PushScenario(server, messages, warmup, out).run();
      }
    }
    return 0;
  }

  /** Launches servers A and B federating on loopback, then runs both federation measurements. */
  private int federation(PrintStream out) throws Exception {
    int fedMessages = Math.min(messages, FEDERATION_MAX_MESSAGES);
    int fedWarmup = Math.min(warmup, FEDERATION_MAX_WARMUP);
    try (ServerUnderTest a = ServerUnderTest.launch(launch, databaseUrl, serverJvmArgs, out, true);
        ServerUnderTest b = ServerUnderTest.launch(launch, databaseUrlB, serverJvmArgs, out, true)) {
      printServer(a, out);
      printServer(b, out);
      int failures = 0;
      try {
        new FederationDeliveryScenario(a, b, fedMessages, fedWarmup, out).run();
      } catch (Exception e) {
        failures++;
        failed("message delivery", e, a, b, out);
      }
      try {
        new RemoteJoinScenario(a, b, remoteRoomMembers, remoteRoomState, out).run();
      } catch (Exception e) {
        failures++;
        failed("remote join", e, a, b, out);
      }
      return failures == 0 ? 0 : 1;
    }
  }

  private static void failed(String what, Exception e, ServerUnderTest a, ServerUnderTest b, PrintStream out) {
    out.printf("%nfederation: %s FAILED: %s%n  server logs: A %s, B %s%n", what, e, a.log(), b.log());
    a.keepWorkDir();
    b.keepWorkDir();
  }

  private ServerUnderTest open(PrintStream out) throws Exception {
    if (launch != null) {
      return ServerUnderTest.launch(launch, databaseUrl, serverJvmArgs, out);
    }
    URI url = parent.url().uri();
    requireLoopback(url);
    return pid != null ? ServerUnderTest.attach(url, pid) : ServerUnderTest.remote(url);
  }

  private void validate() {
    range("--messages", messages, 1, 1_000_000);
    range("--warmup", warmup, 0, 100_000);
    range("--search-queries", searchQueries, 1, 10_000);
    range("--users", users, 1, 10_000);
    range("--polls-per-user", pollsPerUser, 1, 100);
    range("--rounds", rounds, 1, 100);
    range("--settle-ms", settleMs, 0, 60_000);
    range("--rooms", rooms, 1, 10_000);
    range("--room-members", roomMembers, 2, 1_000);
    range("--messages-per-room", messagesPerRoom, 0, 10_000);
    range("--sync-runs", syncRuns, 1, 10_000);
    range("--time-limit", timeLimitSeconds, 1, 86_400);
    range("--remote-room-members", remoteRoomMembers, 1, 100_000);
    range("--remote-room-state", remoteRoomState, 1, 1_000_000);
    if (scenario == Scenario.federation && (launch == null || pid != null)) {
      throw new CliFailure("--scenario federation launches two servers itself: give --launch JAR (and no --pid)");
    }
    if (databaseUrlB != null && scenario != Scenario.federation) {
      throw new CliFailure("--database-url-b only applies to --scenario federation");
    }
    if ((long) users * pollsPerUser > 20_000) {
      throw new CliFailure("--users x --polls-per-user must not exceed 20000");
    }
    if (launch != null && pid != null) {
      throw new CliFailure("--launch and --pid are mutually exclusive");
    }
    if ((databaseUrl != null || !serverJvmArgs.isEmpty()) && launch == null) {
      throw new CliFailure("--database-url and --server-jvm-arg only apply with --launch");
    }
  }

  private static void range(String name, long v, long min, long max) {
    if (v < min || v > max) {
      throw new CliFailure(name + " must be between " + min + " and " + max + ", got " + v);
    }
  }

  /** The bench generates heavy load; it only ever targets this machine. */
  static void requireLoopback(URI url) {
    if (!"http".equals(url.getScheme()) || url.getHost() == null) {
      throw new CliFailure("--url must be an http:// URL, got " + url);
    }
    try {
      for (InetAddress a : InetAddress.getAllByName(url.getHost())) {
        if (!a.isLoopbackAddress()) {
          throw new CliFailure("--url " + url + " is not a loopback address; bench only targets this machine");
        }
      }
    } catch (UnknownHostException e) {
      throw new CliFailure("--url: unknown host " + url.getHost());
    }
  }

  private void printServer(ServerUnderTest server, PrintStream out) {
    Table t = new Table("Server under test", "item", "value");
    t.row("url", server.url());
    t.row("server name", server.serverName());
    t.row("pid", server.measurable() ? server.pid() : "unknown (CPU/RSS not measured)");
    if (server.launched()) {
      t.row("start-up to first /versions (ms)", Table.fmt(server.startupNanos() / 1e6, 1));
      t.row("idle RSS after start-up (MB)", Table.fmt(server.idle().rssMb(), 1));
      t.row("idle threads", server.idle().threads());
    } else if (server.measurable()) {
      ProcStats.Sample s = server.sample();
      t.row("RSS now (MB)", Table.fmt(s.rssMb(), 1));
    }
    t.row("client", "java.net.http HTTP/1.1, Java " + Runtime.version().feature());
    t.print(out);
  }
}
