package dev.myelin.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Locale;

/** Helpers shared by the scenarios: user registration, the sync filter, message bodies. */
final class BenchSupport {
  /**
   * Keeps /sync responses small: no presence, ephemeral events or account data. The timeline
   * limit is the server's maximum, so that a receiver stalled by a loaded machine still gets every
   * message in its next response instead of a limited timeline that skips some.
   */
  static final String SYNC_FILTER =
      "{\"room\":{\"timeline\":{\"limit\":1000},\"state\":{\"lazy_load_members\":true},"
          + "\"ephemeral\":{\"types\":[]},\"account_data\":{\"types\":[]}},"
          + "\"presence\":{\"types\":[]},\"account_data\":{\"types\":[]}}";

  private static final SecureRandom RANDOM = new SecureRandom();

  private BenchSupport() {}

  /** A short random tag that makes user names and message bodies unique to this run. */
  static String runId() {
    return Long.toString(Math.abs(RANDOM.nextLong()) % 2_176_782_336L, 36);
  }

  /** Registers {@code bench_<run>_<role>} with a random password on a new client. */
  static MatrixClient registerUser(URI url, String runId, String role) throws IOException, InterruptedException {
    MatrixClient c = new MatrixClient(url);
    try {
      String password = Long.toHexString(RANDOM.nextLong()) + Long.toHexString(RANDOM.nextLong());
      c.register(("bench_" + runId + "_" + role).toLowerCase(Locale.ROOT), password);
      return c;
    } catch (IOException | InterruptedException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** The timeline events of {@code roomId} in a /sync response (an empty node if absent). */
  static JsonNode timeline(JsonNode sync, String roomId) {
    return sync.path("rooms").path("join").path(roomId).path("timeline");
  }

  /** The {@code next_batch} token of a /sync response. */
  static String nextBatch(JsonNode sync) {
    JsonNode nb = sync.get("next_batch");
    if (nb == null || !nb.isTextual()) {
      throw new dev.myelin.cli.CliFailure("GET /sync: response lacks \"next_batch\"");
    }
    return nb.asText();
  }

  /** The text body of an {@code m.room.message} event, or null for anything else. */
  static String messageBody(JsonNode event) {
    if (!"m.room.message".equals(event.path("type").asText())) {
      return null;
    }
    JsonNode body = event.path("content").get("body");
    return body != null && body.isTextual() ? body.asText() : null;
  }
}
