package dev.myelin.cli.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario {@code search}: fills the server with messages through the Client-Server API (several
 * senders in parallel over several rooms), then measures {@code POST /search} latency for terms
 * of very different frequency, in both orders, as a user who is in every room.
 *
 * <p>Each message is a few filler words from a fixed vocabulary plus, by its index, the marker
 * words of {@link #TERMS}: the word with period P is in exactly every P-th message, so the number
 * of matches of each term is known.
 */
final class SearchScenario {
  /** Marker words and the period at which they occur. */
  static final List<Term> TERMS = List.of(
      new Term("alpha", 5), new Term("bravo", 50), new Term("charlie", 500),
      new Term("delta", 5_000), new Term("echo", 50_000), new Term("zulu", Integer.MAX_VALUE));

  record Term(String word, int period) {
    boolean in(long index) {
      return period != Integer.MAX_VALUE && index % period == period / 2;
    }
  }

  private static final int VOCABULARY = 5_000;
  private static final int ROOMS = 8;
  private static final int SENDERS = 16;

  private final ServerUnderTest server;
  private final int messages;
  private final int queries;
  private final PrintStream out;

  SearchScenario(ServerUnderTest server, int messages, int queries, PrintStream out) {
    this.server = server;
    this.messages = messages;
    this.queries = queries;
    this.out = out;
  }

  void run() throws Exception {
    String run = BenchSupport.runId();
    out.printf("%nsearch: registering %d senders and creating %d rooms (run %s)%n", SENDERS, ROOMS, run);
    MatrixClient[] senders = new MatrixClient[SENDERS];
    Parallel.forEach(SENDERS, 4, i -> senders[i] = BenchSupport.registerUser(server.url(), run, "s" + i));
    String[] rooms = new String[ROOMS];
    for (int r = 0; r < ROOMS; r++) {
      rooms[r] = senders[0].createRoom(MatrixClient.JSON.createObjectNode().put("preset", "public_chat"));
    }
    Parallel.forEach(ROOMS * (SENDERS - 1), 8, i -> senders[1 + i % (SENDERS - 1)].join(rooms[i / (SENDERS - 1)]));

    out.printf("search: sending %d messages from %d senders in parallel%n", messages, SENDERS);
    String[] vocabulary = vocabulary();
    AtomicLong next = new AtomicLong();
    long start = System.nanoTime();
    Parallel.forEach(SENDERS, SENDERS, s -> {
      Random random = new Random(s);
      for (long i = next.getAndIncrement(); i < messages; i = next.getAndIncrement()) {
        senders[s].sendMessage(rooms[(int) (i % ROOMS)], run + "-" + i, body(i, random, vocabulary));
        if (i > 0 && i % 100_000 == 0) {
          out.printf("search: %d sent, %.0f/s%n", i, i / ((System.nanoTime() - start) / 1e9));
        }
      }
    });
    double fillSeconds = (System.nanoTime() - start) / 1e9;
    out.printf("search: filled in %.0f s (%.0f messages/s)%n", fillSeconds, messages / fillSeconds);

    Table t = new Table("Search over " + messages + " messages in " + ROOMS + " rooms (" + queries
        + " queries per term and order)", "term", "matches", "order", "p50 (ms)", "p99 (ms)", "count");
    List<Long> all = new ArrayList<>();
    for (Term term : TERMS) {
      long matches = term.period() == Integer.MAX_VALUE ? 0 : (messages + term.period() / 2) / term.period();
      for (String order : List.of("rank", "recent")) {
        long[] nanos = new long[queries];
        long count = 0;
        for (int q = 0; q < queries; q++) {
          ObjectNode body = MatrixClient.JSON.createObjectNode();
          body.putObject("search_categories").putObject("room_events")
              .put("search_term", term.word()).put("order_by", order);
          long t0 = System.nanoTime();
          MatrixClient.Timed answer = senders[0].search(body);
          nanos[q] = answer.receivedNanos() - t0;
          all.add(nanos[q]);
          count = answer.body().path("search_categories").path("room_events").path("count").asLong();
        }
        Percentiles p = Percentiles.of(nanos);
        t.row(term.word(), matches, order, p.ms(50), p.ms(99), count);
      }
    }
    Percentiles overall = Percentiles.of(all.stream().mapToLong(Long::longValue).toArray());
    t.row("all terms", "", "both", overall.ms(50), overall.ms(99), "");
    t.note("fill: " + String.format("%.0f", messages / fillSeconds) + " messages/s through PUT /send, "
        + SENDERS + " parallel senders; count = the server's (approximate) count");
    t.print(out);
  }

  /** Filler words plus the marker words this message index carries. */
  static String body(long index, Random random, String[] vocabulary) {
    StringBuilder body = new StringBuilder();
    int words = 5 + random.nextInt(8);
    for (int w = 0; w < words; w++) {
      body.append(vocabulary[random.nextInt(vocabulary.length)]).append(' ');
    }
    for (Term term : TERMS) {
      if (term.in(index)) {
        body.append(term.word()).append(' ');
      }
    }
    return body.toString().trim();
  }

  /** Pronounceable made-up words that never collide with the marker words. */
  private static String[] vocabulary() {
    Random random = new Random(42);
    String consonants = "bdfgklmnprstv";
    String vowels = "aeiou";
    String[] words = new String[VOCABULARY];
    for (int i = 0; i < VOCABULARY; i++) {
      StringBuilder w = new StringBuilder("q");
      int syllables = 2 + random.nextInt(3);
      for (int s = 0; s < syllables; s++) {
        w.append(consonants.charAt(random.nextInt(consonants.length())))
            .append(vowels.charAt(random.nextInt(vowels.length())));
      }
      words[i] = w.toString();
    }
    return words;
  }
}
