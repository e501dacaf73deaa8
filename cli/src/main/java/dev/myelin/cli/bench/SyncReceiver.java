package dev.myelin.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The receiving side of the sequential scenario: a /sync long-poll loop ({@code since} chaining)
 * that records, per sequence number, when the sync response carrying message
 * {@code "<prefix><seq>"} was received. Stopped by {@link #stop()}, which also aborts the poll in
 * flight by closing the client.
 */
final class SyncReceiver implements Runnable {
  /** Marks a sequence number whose message has not (yet) arrived. */
  static final long NOT_ARRIVED = Long.MIN_VALUE;

  private static final long POLL_TIMEOUT_MS = 30_000;

  private final MatrixClient client;
  private final String roomId;
  private final String prefix;
  private final long[] arrivals;
  private final long maxResponses;
  private final AtomicInteger arrived = new AtomicInteger();
  private volatile String since;
  private volatile boolean stopping;
  private volatile Exception failure;
  private volatile long responses;
  private volatile long limited;

  SyncReceiver(MatrixClient client, String roomId, String since, String prefix, int messages) {
    this.client = client;
    this.roomId = roomId;
    this.since = since;
    this.prefix = prefix;
    this.arrivals = new long[messages];
    Arrays.fill(arrivals, NOT_ARRIVED);
    this.maxResponses = 20L * messages + 1_000; // guards against a server that never blocks
  }

  @Override
  public void run() {
    try {
      while (!stopping && responses < maxResponses) {
        MatrixClient.Timed t = client.sync(since, POLL_TIMEOUT_MS, BenchSupport.SYNC_FILTER);
        responses++;
        record(t);
        since = BenchSupport.nextBatch(t.body());
      }
      if (!stopping) {
        failure = new IllegalStateException("more than " + maxResponses + " /sync responses; stopped polling");
      }
    } catch (Exception e) {
      if (!stopping) {
        failure = e;
      }
    }
  }

  private void record(MatrixClient.Timed t) {
    JsonNode timeline = BenchSupport.timeline(t.body(), roomId);
    if (timeline.path("limited").asBoolean(false)) {
      limited++;
    }
    for (JsonNode event : timeline.path("events")) {
      String body = BenchSupport.messageBody(event);
      if (body == null || !body.startsWith(prefix)) {
        continue;
      }
      int seq;
      try {
        seq = Integer.parseInt(body.substring(prefix.length()));
      } catch (NumberFormatException e) {
        continue;
      }
      if (seq >= 0 && seq < arrivals.length && arrivals[seq] == NOT_ARRIVED) {
        arrivals[seq] = t.receivedNanos();
        arrived.incrementAndGet();
      }
    }
  }

  /** Waits until {@code count} messages have arrived, the receiver failed, or the deadline passed. */
  boolean awaitArrivals(int count, long deadlineNanos) throws InterruptedException {
    while (arrived.get() < count && failure == null && System.nanoTime() < deadlineNanos) {
      Thread.sleep(2);
    }
    return arrived.get() >= count;
  }

  void stop() {
    stopping = true;
    client.close();
  }

  /** Arrival time (nanoTime) of message {@code seq}, or {@link #NOT_ARRIVED}. */
  long arrival(int seq) {
    return arrivals[seq];
  }

  /** The failure that ended the loop early, or null. */
  Exception failure() {
    return failure;
  }

  long responses() {
    return responses;
  }

  long limitedResponses() {
    return limited;
  }

  String since() {
    return since;
  }
}
