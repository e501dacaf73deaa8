package dev.myelin.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.cli.CliFailure;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Part of scenario {@code federation}: alice on server A creates a private room and invites bob on
 * server B, bob joins through A; then each sends messages one at a time (the next only once the
 * previous has reached the other side) while the other follows the room with a /sync long-poll
 * loop. Delivery = the other user's sync response carrying the message received - the sender's
 * {@code PUT /send} response received, over federation on loopback.
 */
final class FederationDeliveryScenario {
  private static final long ARRIVAL_LIMIT_NANOS = 30_000_000_000L;
  private static final int MAX_CONSECUTIVE_LOST = 3;

  private final ServerUnderTest a;
  private final ServerUnderTest b;
  private final int messages;
  private final int warmup;
  private final PrintStream out;

  FederationDeliveryScenario(ServerUnderTest a, ServerUnderTest b, int messages, int warmup, PrintStream out) {
    this.a = a;
    this.b = b;
    this.messages = messages;
    this.warmup = warmup;
    this.out = out;
  }

  void run() throws Exception {
    String run = BenchSupport.runId();
    out.printf("%nfederation: alice@%s invites bob@%s into a private room (run %s)%n", a.serverName(),
        b.serverName(), run);
    MatrixClient alice = BenchSupport.registerUser(a.url(), run, "alice");
    MatrixClient bob = BenchSupport.registerUser(b.url(), run, "bob");
    String roomId = alice.createRoom(MatrixClient.JSON.createObjectNode().put("preset", "private_chat"));
    String bobSince = BenchSupport.nextBatch(bob.sync(null, 0, BenchSupport.SYNC_FILTER).body());
    long t0 = System.nanoTime();
    alice.invite(roomId, bob.userId());
    long inviteNanos = awaitInvite(bob, bobSince, roomId) - t0;
    t0 = System.nanoTime();
    long joinNanos = bob.joinVia(roomId, a.serverName(), Duration.ofSeconds(120)).receivedNanos() - t0;

    Table t = new Table("Federation: message delivery on loopback (" + messages + " messages each way after "
        + warmup + " warm-up)", "direction", "n", "mean ms", "p50 ms", "p90 ms", "p99 ms", "max ms", "lost",
        "send p50 ms");
    direction(t, "A -> B (alice to bob)", alice, bob, roomId, "ab " + run + " #");
    direction(t, "B -> A (bob to alice)", bob, alice, roomId, "ba " + run + " #");
    t.note("delivery = receiver's /sync response received - sender's PUT /send response received");
    t.note("one message in flight: each is sent once the previous one arrived (or was given up after "
        + ARRIVAL_LIMIT_NANOS / 1_000_000_000L + " s)");
    t.note("invite: POST /invite on A -> invite in bob's sync on B " + Percentiles.millis(inviteNanos)
        + " ms; bob's POST /join/{roomId}?server_name=" + a.serverName() + " round trip "
        + Percentiles.millis(joinNanos) + " ms");
    t.print(out);
  }

  /** Syncs bob until the invite shows; returns when it arrived (nanoTime). */
  private static long awaitInvite(MatrixClient bob, String since, String roomId) throws Exception {
    long deadline = System.nanoTime() + ARRIVAL_LIMIT_NANOS;
    while (System.nanoTime() < deadline) {
      MatrixClient.Timed s = bob.sync(since, 5_000, BenchSupport.SYNC_FILTER);
      if (s.body().path("rooms").path("invite").has(roomId)) {
        return s.receivedNanos();
      }
      since = BenchSupport.nextBatch(s.body());
    }
    throw new CliFailure("the invite of " + bob.userId() + " into " + roomId + " did not reach their /sync within "
        + ARRIVAL_LIMIT_NANOS / 1_000_000_000L + " s");
  }

  private void direction(Table t, String label, MatrixClient sender, MatrixClient receiverClient, String roomId,
      String prefix) throws Exception {
    out.printf("federation: %s, %d + %d messages%n", label, warmup, messages);
    JsonNode first = receiverClient.sync(null, 0, BenchSupport.SYNC_FILTER).body();
    int total = warmup + messages;
    SyncReceiver receiver = new SyncReceiver(receiverClient, roomId, BenchSupport.nextBatch(first), prefix, total);
    Thread thread = Thread.ofPlatform().daemon().name("bench-fed-receiver").start(receiver);
    long[] sentAt = new long[total];
    long[] rtt = new long[total];
    try {
      int lostInARow = 0;
      for (int i = 0; i < total; i++) {
        long start = System.nanoTime();
        MatrixClient.Timed res = sender.sendMessage(roomId, "f" + prefix.hashCode() + "-" + i, prefix + i);
        sentAt[i] = res.receivedNanos();
        rtt[i] = res.receivedNanos() - start;
        receiver.awaitArrivals(i + 1, res.receivedNanos() + ARRIVAL_LIMIT_NANOS);
        if (receiver.failure() != null) {
          throw new CliFailure("receiver /sync loop failed: " + receiver.failure(), receiver.failure());
        }
        lostInARow = receiver.arrival(i) == SyncReceiver.NOT_ARRIVED ? lostInARow + 1 : 0;
        if (lostInARow >= MAX_CONSECUTIVE_LOST) {
          throw new CliFailure(label + ": " + lostInARow + " messages in a row (up to #" + i + ") did not reach "
              + receiverClient.userId() + "'s /sync within " + ARRIVAL_LIMIT_NANOS / 1_000_000_000L + " s each");
        }
      }
    } finally {
      receiver.stop();
      thread.join(1_000);
    }
    long[] delivery = new long[messages];
    long[] sends = new long[messages];
    int arrived = 0;
    for (int i = 0; i < messages; i++) {
      sends[i] = rtt[warmup + i];
      long at = receiver.arrival(warmup + i);
      if (at != SyncReceiver.NOT_ARRIVED) {
        delivery[arrived++] = at - sentAt[warmup + i];
      }
    }
    Percentiles d = Percentiles.of(delivery, arrived);
    t.row(label, arrived, d.isEmpty() ? "n/a" : Percentiles.millis(d.mean()), d.ms(50), d.ms(90), d.ms(99),
        d.ms(100), messages - arrived, Percentiles.of(sends).ms(50));
  }
}
