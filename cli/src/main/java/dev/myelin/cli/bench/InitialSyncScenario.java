package dev.myelin.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario {@code initialsync}: a few "measured" users in R rooms of M members each (the other
 * members come round-robin from a pool of users, so each has its own mix of rooms), a few
 * messages per room, then the latency of an initial {@code /sync} with lazy-loaded members
 * ({@code {"room":{"state":{"lazy_load_members":true}}}}). Everything is set up through the
 * Client-Server API. Reports each measured user's first (fresh) initial sync, repeated initial
 * syncs of one user after a new message each (so that no response can be reused; after a few
 * unmeasured ones that let the JIT compile the sync path), an identical
 * repeat (the server's response sharing), and the same sync without lazy loading.
 */
final class InitialSyncScenario {
  static final String LAZY_FILTER = "{\"room\":{\"state\":{\"lazy_load_members\":true}}}";
  private static final int MEASURED_USERS = 4;
  private static final int POOL_USERS = 100;
  private static final int THREADS = 8;
  private static final int WARMUP_RUNS = 20;

  private final ServerUnderTest server;
  private final int rooms;
  private final int members;
  private final int messagesPerRoom;
  private final int runs;
  private final PrintStream out;

  InitialSyncScenario(ServerUnderTest server, int rooms, int members, int messagesPerRoom, int runs,
      PrintStream out) {
    this.server = server;
    this.rooms = rooms;
    this.members = members;
    this.messagesPerRoom = messagesPerRoom;
    this.runs = runs;
    this.out = out;
  }

  void run() throws Exception {
    String run = BenchSupport.runId();
    int measured = Math.min(MEASURED_USERS, members - 1);
    int pool = Math.max(members - measured, Math.min(POOL_USERS, members * 2));
    MatrixClient[] watchers = new MatrixClient[measured];
    MatrixClient[] others = new MatrixClient[pool];
    out.printf("%ninitialsync: registering %d + %d users (run %s)%n", measured, pool, run);
    long setup = System.nanoTime();
    Parallel.forEach(measured, THREADS, u -> watchers[u] = BenchSupport.registerUser(server.url(), run, "w" + u));
    Parallel.forEach(pool, THREADS, u -> others[u] = BenchSupport.registerUser(server.url(), run, "m" + u));

    out.printf("initialsync: creating %d rooms, %d members each%n", rooms, members);
    String[] roomIds = new String[rooms];
    ObjectNode create = MatrixClient.JSON.createObjectNode().put("preset", "public_chat");
    Parallel.forEach(rooms, THREADS,
        r -> roomIds[r] = watchers[0].createRoom(create.deepCopy().put("name", "room " + r)));
    int joinsPerRoom = members - 1;
    AtomicInteger joins = new AtomicInteger();
    Parallel.forEach(rooms * joinsPerRoom, THREADS, i -> {
      int r = i / joinsPerRoom;
      int k = i % joinsPerRoom;
      MatrixClient member = k < measured - 1 ? watchers[k + 1] : others[poolMember(r, k, pool)];
      member.join(roomIds[r]);
      int done = joins.incrementAndGet();
      if (done % 2000 == 0) {
        out.printf("initialsync: %d/%d joins%n", done, rooms * joinsPerRoom);
      }
    });
    Parallel.forEach(rooms * messagesPerRoom, THREADS, i -> {
      int r = i / messagesPerRoom;
      MatrixClient sender = others[poolMember(r, measured - 1 + i % (members - measured), pool)];
      sender.sendMessage(roomIds[r], "is" + run + "-" + i, "message " + i + " in room " + r);
    });
    out.printf("initialsync: set up in %.1f s%n", (System.nanoTime() - setup) / 1e9);

    Table t = new Table("Initial /sync: " + rooms + " rooms x " + members + " members, "
        + messagesPerRoom + " messages per room",
        "run", "n", "p50 ms", "p99 ms", "max ms", "CPU ms/sync", "rooms", "KB");
    long[] fresh = new long[measured];
    Sample last = null;
    long cpu = cpuTicks();
    for (int u = 0; u < measured; u++) {
      last = timed(watchers[u], LAZY_FILTER);
      fresh[u] = last.nanos();
    }
    t.row("fresh: each user's first, lazy members", measured, Percentiles.of(fresh).ms(50),
        Percentiles.of(fresh).ms(99), Percentiles.of(fresh).ms(100), cpuPerSync(cpu, measured),
        last.rooms(), last.kb());

    // Unmeasured runs let the JIT compile the sync path before the steady-state figures.
    for (int i = 0; i < WARMUP_RUNS; i++) {
      MatrixClient sender = others[poolMember(i % rooms, measured - 1, pool)];
      sender.sendMessage(roomIds[i % rooms], "ws" + run + "-" + i, "warm-up " + i);
      timed(watchers[0], LAZY_FILTER);
    }
    long[] repeated = new long[runs];
    cpu = cpuTicks();
    for (int i = 0; i < runs; i++) {
      // A new event moves the stream, so the server computes the response anew.
      MatrixClient sender = others[poolMember(i % rooms, measured - 1, pool)];
      sender.sendMessage(roomIds[i % rooms], "rs" + run + "-" + i, "between runs " + i);
      last = timed(watchers[0], LAZY_FILTER);
      repeated[i] = last.nanos();
    }
    Percentiles p = Percentiles.of(repeated);
    t.row("repeated after a new event, lazy members", runs, p.ms(50), p.ms(99), p.ms(100), cpuPerSync(cpu, runs),
        last.rooms(), last.kb());

    long[] same = new long[runs];
    cpu = cpuTicks();
    for (int i = 0; i < runs; i++) {
      last = timed(watchers[0], LAZY_FILTER);
      same[i] = last.nanos();
    }
    p = Percentiles.of(same);
    t.row("identical repeat (shared response)", runs, p.ms(50), p.ms(99), p.ms(100), cpuPerSync(cpu, runs),
        last.rooms(), last.kb());

    int fullRuns = Math.max(1, runs / 4);
    long[] full = new long[fullRuns];
    cpu = cpuTicks();
    for (int i = 0; i < fullRuns; i++) {
      MatrixClient sender = others[poolMember(i % rooms, measured - 1, pool)];
      sender.sendMessage(roomIds[i % rooms], "fs" + run + "-" + i, "full state run " + i);
      last = timed(watchers[0], null);
      full[i] = last.nanos();
    }
    p = Percentiles.of(full);
    t.row("repeated after a new event, all members", fullRuns, p.ms(50), p.ms(99), p.ms(100),
        cpuPerSync(cpu, fullRuns), last.rooms(), last.kb());
    t.note("latency = request sent -> response fully received, one request at a time");
    t.note("fresh runs come first, on a cold JIT; " + WARMUP_RUNS + " unmeasured syncs precede the repeated runs");
    t.note("CPU ms/sync = server CPU time over the runs / runs (includes the send before each run)");
    t.note("filter " + LAZY_FILTER + "; 'all members' sends no filter");
    t.print(out);
  }

  private long cpuTicks() {
    return server.measurable() ? server.sample().cpuTicks() : -1;
  }

  private String cpuPerSync(long ticksBefore, int syncs) {
    if (ticksBefore < 0) {
      return "n/a";
    }
    return Table.fmt((cpuTicks() - ticksBefore) * 1000.0 / server.clockTicksPerSecond() / syncs, 1);
  }

  /** The pool user who is the k-th joiner of room r (k counts from 0 over all joiners). */
  private static int poolMember(int r, int k, int pool) {
    return (r * 7 + k) % pool;
  }

  private record Sample(long nanos, int rooms, long kb) {}

  private Sample timed(MatrixClient client, String filter) throws Exception {
    long start = System.nanoTime();
    MatrixClient.Timed res = client.sync(null, 0, filter);
    long nanos = res.receivedNanos() - start;
    JsonNode joined = res.body().path("rooms").path("join");
    if (joined.size() != rooms) {
      throw new IllegalStateException("initial sync lists " + joined.size() + " joined rooms, expected " + rooms);
    }
    long kb = MatrixClient.JSON.writeValueAsBytes(res.body()).length / 1024;
    return new Sample(nanos, joined.size(), kb);
  }
}
