package dev.myelin.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.Myelin;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Scenario {@code fanout}: U users in one room, each with C /sync long-polls parked on the server
 * (one HTTP/1.1 connection each). One message wakes them all; reports per-request wake-up
 * latency, how many answered and the server RSS cost per parked request. Repeated R rounds.
 */
final class FanoutScenario {
  private static final long POLL_TIMEOUT_MS = 60_000;
  private static final long NOT_ANSWERED = Long.MIN_VALUE;

  private final ServerUnderTest server;
  private final int users;
  private final int polls;
  private final int rounds;
  private final long settleMs;
  private final PrintStream out;

  FanoutScenario(ServerUnderTest server, int users, int polls, int rounds, long settleMs, PrintStream out) {
    this.server = server;
    this.users = users;
    this.polls = polls;
    this.rounds = rounds;
    this.settleMs = settleMs;
    this.out = out;
  }

  void run() throws Exception {
    String run = BenchSupport.runId();
    MatrixClient[] clients = new MatrixClient[users];
    try {
      out.printf("%nfanout: registering %d users (run %s)%n", users, run);
      Parallel.forEach(users, 4, u -> clients[u] = BenchSupport.registerUser(server.url(), run, "u" + u));
      ObjectNode create = MatrixClient.JSON.createObjectNode().put("preset", "public_chat");
      String roomId = clients[0].createRoom(create);
      out.printf("fanout: %d users joining %s%n", users - 1, roomId);
      Parallel.forEach(users - 1, 4, u -> clients[u + 1].join(roomId));
      String[] tokens = new String[users];
      Parallel.forEach(users, 4, u -> tokens[u] = initialSync(clients[u], null));

      Table t = new Table(
          "Fan-out wake-up: " + users + " users x " + polls + " parked /sync = " + users * polls + " requests",
          "round", "answered", "early", "errors", "p50 ms", "p99 ms", "max ms",
          "RSS idle MB", "RSS parked MB", "kB/parked", "threads", "wake CPU ms");
      for (int r = 1; r <= rounds; r++) {
        if (r > 1) {
          Parallel.forEach(users, 4, u -> tokens[u] = initialSync(clients[u], tokens[u]));
        }
        round(r, clients, tokens, roomId, "fanout " + run + " round " + r, t);
      }
      t.note("latency = /sync response received - send response received");
      t.note("early = answered before the send, or without the message");
      t.note("kB/parked = (RSS parked - RSS idle) / parked requests; round 1 includes opening the connections");
      if (!server.measurable()) {
        t.note("server CPU/RSS not measured: give --pid or --launch");
      }
      t.print(out);
    } finally {
      for (MatrixClient c : clients) {
        if (c != null) {
          c.close();
        }
      }
    }
  }

  private static String initialSync(MatrixClient c, String since) throws Exception {
    return BenchSupport.nextBatch(c.sync(since, 0, BenchSupport.SYNC_FILTER).body());
  }

  private void round(int r, MatrixClient[] clients, String[] tokens, String roomId, String marker, Table t)
      throws Exception {
    int n = users * polls;
    out.printf("fanout: round %d: parking %d /sync requests, settling %d ms%n", r, n, settleMs);
    Thread.sleep(Math.min(settleMs, 500));
    ProcStats.Sample idle = server.measurable() ? server.sample() : null;
    AtomicLongArray answeredAt = new AtomicLongArray(n);
    for (int i = 0; i < n; i++) {
      answeredAt.set(i, NOT_ANSWERED);
    }
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger early = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    AtomicReference<Exception> firstError = new AtomicReference<>();
    CountDownLatch finished = new CountDownLatch(n);
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    long sendDone;
    ProcStats.Sample parked;
    ProcStats.Sample woken;
    try {
      for (int i = 0; i < n; i++) {
        int index = i;
        MatrixClient c = clients[i / polls];
        String since = tokens[i / polls];
        pool.execute(() -> {
          try {
            MatrixClient.Timed res = c.sync(since, POLL_TIMEOUT_MS, BenchSupport.SYNC_FILTER);
            if (sent.get() == 0 || !contains(res.body(), roomId, marker)) {
              early.incrementAndGet();
            } else {
              answeredAt.set(index, res.receivedNanos());
            }
          } catch (Exception e) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, e);
          } finally {
            finished.countDown();
          }
        });
      }
      Thread.sleep(settleMs);
      parked = server.measurable() ? server.sample() : null;
      sent.set(1);
      sendDone = clients[0].sendMessage(roomId, "f" + marker.hashCode() + "-" + r, marker).receivedNanos();
      finished.await(POLL_TIMEOUT_MS + 5_000, TimeUnit.MILLISECONDS);
      woken = server.measurable() ? server.sample() : null;
    } finally {
      pool.shutdownNow();
    }
    if (firstError.get() != null) {
      out.println("fanout: round " + r + ": " + errors.get() + " polls failed, first: "
          + Myelin.describe(firstError.get()));
    }
    long[] lat = new long[n];
    int answered = 0;
    for (int i = 0; i < n; i++) {
      long at = answeredAt.get(i);
      if (at != NOT_ANSWERED) {
        lat[answered++] = at - sendDone;
      }
    }
    Percentiles p = Percentiles.of(lat, answered);
    String rssIdle = "n/a", rssParked = "n/a", perReq = "n/a", threads = "n/a", cpu = "n/a";
    if (idle != null && parked != null && woken != null) {
      rssIdle = Table.fmt(idle.rssMb(), 1);
      rssParked = Table.fmt(parked.rssMb(), 1);
      perReq = Table.fmt((parked.rssKb() - idle.rssKb()) / (double) n, 2);
      threads = idle.threads() + "->" + parked.threads();
      cpu = Table.fmt((woken.cpuTicks() - parked.cpuTicks()) * 1000.0 / server.clockTicksPerSecond(), 0);
    }
    t.row(r, answered + "/" + n, early.get(), errors.get(), p.ms(50), p.ms(99), p.ms(100),
        rssIdle, rssParked, perReq, threads, cpu);
  }

  private static boolean contains(JsonNode sync, String roomId, String marker) {
    for (JsonNode event : BenchSupport.timeline(sync, roomId).path("events")) {
      if (marker.equals(BenchSupport.messageBody(event))) {
        return true;
      }
    }
    return false;
  }
}
