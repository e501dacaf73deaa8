package dev.myelin.cli.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.CliFailure;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Part of scenario {@code federation}: a public room on server A with M joined members (all of A)
 * and enough custom state events ({@code m.bench.state}, distinct state keys, sent by the creator)
 * that its current state holds S events; then a user of server B, which has never seen the room,
 * joins it through A. Reports the {@code POST /join} round trip and when the room first shows in
 * the joiner's /sync, then two more users of B (whose server now knows the room) and a new user of A
 * joining the same room.
 */
final class RemoteJoinScenario {
  private static final int THREADS = 4;
  private static final Duration JOIN_LIMIT = Duration.ofMinutes(10);
  /** A client-like sync filter: a short timeline, lazy-loaded members, no presence. */
  private static final String JOIN_FILTER =
      "{\"room\":{\"timeline\":{\"limit\":20},\"state\":{\"lazy_load_members\":true}},"
          + "\"presence\":{\"types\":[]}}";

  private final ServerUnderTest a;
  private final ServerUnderTest b;
  private final int members;
  private final int stateTarget;
  private final PrintStream out;

  RemoteJoinScenario(ServerUnderTest a, ServerUnderTest b, int members, int stateTarget, PrintStream out) {
    this.a = a;
    this.b = b;
    this.members = members;
    this.stateTarget = stateTarget;
    this.out = out;
  }

  void run() throws Exception {
    String run = BenchSupport.runId();
    out.printf("%nfederation: building a room of %d members and %d state events on %s (run %s)%n", members,
        stateTarget, a.serverName(), run);
    long setup = System.nanoTime();
    MatrixClient creator = BenchSupport.registerUser(a.url(), run, "creator");
    String roomId = creator.createRoom(
        MatrixClient.JSON.createObjectNode().put("preset", "public_chat").put("name", "big room " + run));
    AtomicInteger joined = new AtomicInteger(1);
    Parallel.forEach(members - 1, THREADS, i -> {
      MatrixClient member = BenchSupport.registerUser(a.url(), run, "m" + i);
      member.join(roomId);
      progress("members", joined.incrementAndGet(), members);
    });
    long membersDone = System.nanoTime();
    int before = creator.stateCount(roomId);
    int extra = stateEventsToSend(stateTarget, before);
    AtomicInteger sent = new AtomicInteger();
    Parallel.forEach(extra, THREADS, i -> {
      ObjectNode content = MatrixClient.JSON.createObjectNode().put("n", i).put("note", "bench state " + run);
      creator.sendState(roomId, "m.bench.state", "k" + i, content);
      progress("state events", sent.incrementAndGet(), extra);
    });
    int stateOnA = creator.stateCount(roomId);
    long stateDone = System.nanoTime();
    long setupNanos = stateDone - setup;
    out.printf("federation: room %s ready in %.1f s (%d state events)%n", roomId, setupNanos / 1e9, stateOnA);

    MatrixClient joiner = BenchSupport.registerUser(b.url(), run, "joiner");
    String since = BenchSupport.nextBatch(joiner.sync(null, 0, JOIN_FILTER).body());
    RoomWatcher watcher = new RoomWatcher(joiner, since, roomId);
    Thread thread = Thread.ofPlatform().daemon().name("bench-join-watcher").start(watcher);
    long cpuA = cpu(a);
    long cpuB = cpu(b);
    long t0 = System.nanoTime();
    long joinedAt = joiner.joinVia(roomId, a.serverName(), JOIN_LIMIT).receivedNanos();
    long seenAt = watcher.await(System.nanoTime() + JOIN_LIMIT.toNanos());
    String cpuNote = cpuNote(cpuA, cpuB);
    thread.join(1_000);
    int stateOnB = joiner.stateCount(roomId);

    long[] laterJoinsOnB = new long[2];
    for (int i = 0; i < laterJoinsOnB.length; i++) {
      MatrixClient later = BenchSupport.registerUser(b.url(), run, "joiner" + (i + 2));
      long t1 = System.nanoTime();
      laterJoinsOnB[i] = later.joinVia(roomId, a.serverName(), JOIN_LIMIT).receivedNanos() - t1;
    }
    MatrixClient local = BenchSupport.registerUser(a.url(), run, "late");
    long t2 = System.nanoTime();
    long localJoined = local.joinVia(roomId, a.serverName(), JOIN_LIMIT).receivedNanos();

    Table t = new Table("Federation: joining a remote room of " + members + " members, " + stateOnA
        + " state events", "metric", "value");
    t.row("setup on A: registrations and joins (s)", Table.fmt((membersDone - setup) / 1e9, 1));
    t.row("setup on A: " + extra + " m.bench.state events (s)", Table.fmt((stateDone - membersDone) / 1e9, 1));
    t.row("setup on A: total (s)", Table.fmt(setupNanos / 1e9, 1));
    t.row("state events: on A before the join / on B after it (with the joiner)", stateOnA + " / " + stateOnB);
    t.row("remote join: POST /join round trip (ms)", Percentiles.millis(joinedAt - t0));
    t.row("remote join: room in joiner's /sync, from the request (ms)", Percentiles.millis(seenAt - t0));
    t.row("remote join: room in /sync after the join answer (ms)", Percentiles.millis(seenAt - joinedAt));
    t.row("then a 2nd user of B joins, room known to B (ms)", Percentiles.millis(laterJoinsOnB[0]));
    t.row("then a 3rd user of B joins (ms)", Percentiles.millis(laterJoinsOnB[1]));
    t.row("then a new user of A joins, for comparison (ms)", Percentiles.millis(localJoined - t2));
    if (cpuNote != null) {
      t.note(cpuNote);
    }
    t.note("join: POST /_matrix/client/v3/join/{roomId}?server_name=" + a.serverName() + " by a user of "
        + b.serverName() + "; /sync filter " + JOIN_FILTER);
    t.print(out);
  }

  /** How many custom state events bring a room's current state from {@code current} to {@code target}. */
  static int stateEventsToSend(int target, int current) {
    return Math.max(0, target - current);
  }

  private void progress(String what, int done, int total) {
    if (done % 250 == 0 || done == total) {
      out.printf("federation: %d/%d %s%n", done, total, what);
    }
  }

  private static long cpu(ServerUnderTest s) {
    return s.measurable() ? s.sample().cpuTicks() : -1;
  }

  private String cpuNote(long ticksA, long ticksB) {
    if (ticksA < 0 || ticksB < 0) {
      return null;
    }
    double perTick = 1000.0 / a.clockTicksPerSecond();
    return "server CPU from the join request until the room showed in /sync: A " + Table.fmt((cpu(a) - ticksA)
        * perTick, 0) + " ms, B " + Table.fmt((cpu(b) - ticksB) * perTick, 0) + " ms";
  }

  /** Long-polls /sync until the room shows among the joined rooms; remembers when. */
  private static final class RoomWatcher implements Runnable {
    private final MatrixClient client;
    private final String roomId;
    private volatile String since;
    private volatile long seenAt = -1;
    private volatile Exception failure;

    RoomWatcher(MatrixClient client, String since, String roomId) {
      this.client = client;
      this.since = since;
      this.roomId = roomId;
    }

    @Override
    public void run() {
      try {
        while (seenAt < 0) {
          MatrixClient.Timed s = client.sync(since, 30_000, JOIN_FILTER);
          if (s.body().path("rooms").path("join").has(roomId)) {
            seenAt = s.receivedNanos();
          }
          since = BenchSupport.nextBatch(s.body());
        }
      } catch (Exception e) {
        failure = e;
      }
    }

    long await(long deadlineNanos) throws InterruptedException {
      while (seenAt < 0 && failure == null && System.nanoTime() < deadlineNanos) {
        Thread.sleep(1);
      }
      if (seenAt < 0) {
        throw new CliFailure("the joined room " + roomId + " did not show in " + client.userId() + "'s /sync"
            + (failure == null ? " in time" : ": " + failure), failure);
      }
      return seenAt;
    }
  }
}
