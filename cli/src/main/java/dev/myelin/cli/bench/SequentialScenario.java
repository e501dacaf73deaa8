package dev.myelin.cli.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.CliFailure;
import java.io.PrintStream;

/**
 * Scenario {@code sequential}: one sender sends messages one after another into a private room
 * while one receiver follows the room with a /sync long-poll loop. Reports send throughput, send
 * round-trip percentiles, send-to-sync arrival delay, lost messages and server CPU and RSS.
 */
final class SequentialScenario {
  private static final long DRAIN_NANOS = 10_000_000_000L;

  private final ServerUnderTest server;
  private final int messages;
  private final int warmup;
  private final long timeLimitNanos;
  private final PrintStream out;

  SequentialScenario(ServerUnderTest server, int messages, int warmup, long timeLimitSeconds, PrintStream out) {
    this.server = server;
    this.messages = messages;
    this.warmup = warmup;
    this.timeLimitNanos = timeLimitSeconds * 1_000_000_000L;
    this.out = out;
  }

  void run() throws Exception {
    String run = BenchSupport.runId();
    String prefix = "bench " + run + " #";
    out.printf("%nsequential: registering users and creating the room (run %s)%n", run);
    try (MatrixClient sender = BenchSupport.registerUser(server.url(), run, "sender");
        MatrixClient receiverClient = BenchSupport.registerUser(server.url(), run, "receiver")) {
      String receiverId = receiverClient.userId();
      ObjectNode create = MatrixClient.JSON.createObjectNode().put("preset", "private_chat");
      create.putArray("invite").add(receiverId);
      String roomId = sender.createRoom(create);
      receiverClient.join(roomId);
      String since = BenchSupport.nextBatch(receiverClient.sync(null, 0, BenchSupport.SYNC_FILTER).body());

      int total = warmup + messages;
      SyncReceiver receiver = new SyncReceiver(receiverClient, roomId, since, prefix, total);
      Thread thread = Thread.ofPlatform().daemon().name("bench-receiver").start(receiver);
      long[] rtt = new long[messages];
      long[] sentAt = new long[messages];
      int sent;
      ProcStats.Sample before;
      ProcStats.Sample after;
      long elapsed;
      try {
        out.printf("sequential: warming up with %d messages%n", warmup);
        for (int i = 0; i < warmup; i++) {
          sender.sendMessage(roomId, "w" + run + "-" + i, prefix + i);
        }
        if (!receiver.awaitArrivals(warmup, System.nanoTime() + DRAIN_NANOS)) {
          checkReceiver(receiver);
          out.printf("sequential: warning: not all warm-up messages arrived via /sync within %d s%n",
              DRAIN_NANOS / 1_000_000_000L);
        }
        before = server.measurable() ? server.sample() : null;
        out.printf("sequential: sending %d messages%n", messages);
        long start = System.nanoTime();
        long deadline = start + timeLimitNanos;
        sent = 0;
        while (sent < messages && System.nanoTime() < deadline) {
          int seq = warmup + sent;
          long t0 = System.nanoTime();
          MatrixClient.Timed t = sender.sendMessage(roomId, "m" + run + "-" + seq, prefix + seq);
          rtt[sent] = t.receivedNanos() - t0;
          sentAt[sent] = t.receivedNanos();
          sent++;
        }
        elapsed = System.nanoTime() - start;
        receiver.awaitArrivals(warmup + sent, System.nanoTime() + DRAIN_NANOS);
        after = server.measurable() ? server.sample() : null;
      } finally {
        receiver.stop();
        thread.join(5_000);
      }
      checkReceiver(receiver);
      report(receiver, rtt, sentAt, sent, elapsed, before, after);
    }
  }

  private static void checkReceiver(SyncReceiver receiver) {
    if (receiver.failure() instanceof RuntimeException e) {
      throw e;
    }
    if (receiver.failure() != null) {
      throw new CliFailure("receiver /sync loop failed", receiver.failure());
    }
  }

  private void report(
      SyncReceiver receiver, long[] rtt, long[] sentAt, int sent, long elapsed,
      ProcStats.Sample before, ProcStats.Sample after) {
    long[] delays = new long[sent];
    int arrived = 0;
    for (int i = 0; i < sent; i++) {
      long at = receiver.arrival(warmup + i);
      if (at != SyncReceiver.NOT_ARRIVED) {
        delays[arrived++] = at - sentAt[i];
      }
    }
    Percentiles send = Percentiles.of(rtt, sent);
    Percentiles delay = Percentiles.of(delays, arrived);
    Table t = new Table(
        "Sequential send -> sync (" + sent + " messages after " + warmup + " warm-up)", "metric", "value");
    t.row("messages sent", sent + (sent < messages ? " (time limit reached)" : ""));
    t.row("sends/s", Table.fmt(sent / (elapsed / 1e9), 1));
    t.row("send round-trip p50 (ms)", send.ms(50));
    t.row("send round-trip p90 (ms)", send.ms(90));
    t.row("send round-trip p99 (ms)", send.ms(99));
    t.row("send round-trip max (ms)", send.ms(100));
    t.row("arrival delay p50 (ms)", delay.ms(50));
    t.row("arrival delay p99 (ms)", delay.ms(99));
    t.row("arrival delay max (ms)", delay.ms(100));
    t.row("never arrived", (sent - arrived) + " of " + sent);
    t.row("/sync responses (whole run)", receiver.responses());
    t.row("limited timelines", receiver.limitedResponses());
    if (before != null && after != null) {
      double cpuMs = (after.cpuTicks() - before.cpuTicks()) * 1000.0 / server.clockTicksPerSecond();
      t.row("server CPU per message (ms)", Table.fmt(sent == 0 ? 0 : cpuMs / sent, 3));
      t.row("server RSS before (MB)", Table.fmt(before.rssMb(), 1));
      t.row("server RSS after (MB)", Table.fmt(after.rssMb(), 1));
      t.note("CPU: utime+stime of pid " + server.pid() + " at " + server.clockTicksPerSecond()
          + " ticks/s, measured phase plus delivery drain; RSS before = after warm-up.");
    } else {
      t.note("server CPU/RSS not measured: give --pid or --launch");
    }
    t.note("arrival delay = sync response received - send response received (may be negative)");
    t.print(out);
  }
}
