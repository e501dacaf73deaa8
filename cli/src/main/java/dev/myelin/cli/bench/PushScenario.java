package dev.myelin.cli.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario {@code push}: the cost of push-rule evaluation and unread counts on the send path. One
 * sender sends messages one after another into a 2-member room and into a 50-member room (every
 * other member is notified by the default rules), in alternating rounds so that both rooms see
 * the same JIT and database conditions; it prints sends/s in each and their ratio.
 */
final class PushScenario {
  static final int SMALL_ROOM = 2;
  static final int LARGE_ROOM = 50;
  private static final int ROUNDS = 10;

  private final ServerUnderTest server;
  private final int messages;
  private final int warmup;
  private final PrintStream out;

  PushScenario(ServerUnderTest server, int messages, int warmup, PrintStream out) {
    this.server = server;
    this.messages = messages;
    this.warmup = warmup;
    this.out = out;
  }

  void run() throws Exception {
    String run = BenchSupport.runId();
    out.printf("%npush: registering %d users and creating a %d-member and a %d-member room (run %s)%n",
        LARGE_ROOM, SMALL_ROOM, LARGE_ROOM, run);
    List<MatrixClient> members = new ArrayList<>();
    try (MatrixClient sender = BenchSupport.registerUser(server.url(), run, "sender")) {
      for (int i = 1; i < LARGE_ROOM; i++) {
        members.add(BenchSupport.registerUser(server.url(), run, "member" + i));
      }
      String small = sender.createRoom(MatrixClient.JSON.createObjectNode().put("preset", "public_chat"));
      members.get(0).join(small);
      String large = sender.createRoom(MatrixClient.JSON.createObjectNode().put("preset", "public_chat"));
      Parallel.forEach(members.size(), 4, i -> members.get(i).join(large));

      out.printf("push: warming up with %d messages in each room%n", warmup);
      send(sender, small, "w" + run + "s", warmup);
      send(sender, large, "w" + run + "l", warmup);

      out.printf("push: sending %d messages in each room, in %d alternating rounds%n", messages, ROUNDS);
      long smallNanos = 0;
      long largeNanos = 0;
      int perRound = Math.max(1, messages / ROUNDS);
      int sent = 0;
      for (int round = 0; sent < messages; round++) {
        int n = Math.min(perRound, messages - sent);
        String tag = run + "r" + round;
        if (round % 2 == 0) {
          smallNanos += send(sender, small, tag + "s", n);
          largeNanos += send(sender, large, tag + "l", n);
        } else {
          largeNanos += send(sender, large, tag + "l", n);
          smallNanos += send(sender, small, tag + "s", n);
        }
        sent += n;
      }
      double smallRate = sent / (smallNanos / 1e9);
      double largeRate = sent / (largeNanos / 1e9);
      Table t = new Table("Push rules on the send path (" + sent + " messages per room after " + warmup
          + " warm-up)", "metric", "value");
      t.row("sends/s, " + SMALL_ROOM + "-member room", Table.fmt(smallRate, 1));
      t.row("sends/s, " + LARGE_ROOM + "-member room", Table.fmt(largeRate, 1));
      t.row("ratio " + LARGE_ROOM + " / " + SMALL_ROOM, Table.fmt(largeRate / smallRate, 3));
      t.note("every other member is notified of every message by the default push rules");
      t.print(out);
    } finally {
      members.forEach(MatrixClient::close);
    }
  }

  /** Sends {@code n} messages one after another; returns the nanoseconds it took. */
  private static long send(MatrixClient sender, String roomId, String txnPrefix, int n) throws Exception {
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      sender.sendMessage(roomId, txnPrefix + i, "push bench message " + i);
    }
    return System.nanoTime() - start;
  }
}
