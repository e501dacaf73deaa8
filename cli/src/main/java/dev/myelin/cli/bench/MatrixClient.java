package dev.myelin.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.CliFailure;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Minimal Matrix Client-Server API (v3) client over {@link HttpClient} (HTTP/1.1, keep-alive).
 * Each instance owns its own {@link HttpClient}, hence its own connection pool. Failed calls
 * throw {@link MatrixError}; transport failures throw {@link IOException}.
 */
public final class MatrixClient implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final String API = "/_matrix/client/v3";

  private final URI base;
  private final HttpClient http;
  private volatile String accessToken;
  private volatile String userId;

  /**
   * One HTTP client for every simulated user: it keeps a pool of keep-alive connections (one per
   * request in flight) served by a single selector thread, so that the load generator spends as
   * little of the machine's CPU as it can while it measures the server on the same cores.
   */
  private static final HttpClient SHARED =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  public MatrixClient(URI base) {
    this.base = base;
    this.http = SHARED;
  }

  /** A response body together with the {@link System#nanoTime()} at which it had fully arrived. */
  public record Timed(JsonNode body, long receivedNanos) {}

  /** A registered user. */
  public record Session(String userId, String accessToken, String deviceId) {}

  public String accessToken() {
    return accessToken;
  }

  /** The user id from the last successful {@link #register}, or null. */
  public String userId() {
    return userId;
  }

  /** Registers {@code username} via the {@code m.login.dummy} flow and keeps its access token. */
  public Session register(String username, String password) throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode().put("username", username).put("password", password);
    body.put("initial_device_display_name", "myelin bench");
    Raw first = call("POST", API + "/register", body, false);
    JsonNode res;
    if (first.status() == 401 && first.body().has("session")) {
      body.putObject("auth").put("type", "m.login.dummy").put("session", first.body().get("session").asText());
      res = expectOk("POST /register", call("POST", API + "/register", body, false));
    } else {
      res = expectOk("POST /register", first);
    }
    String token = text(res, "access_token", "POST /register");
    accessToken = token;
    userId = text(res, "user_id", "POST /register");
    return new Session(userId, token, res.path("device_id").asText(null));
  }

  /** Creates a room and returns its id. */
  public String createRoom(ObjectNode request) throws IOException, InterruptedException {
    JsonNode res = expectOk("POST /createRoom", call("POST", API + "/createRoom", request, true));
    return text(res, "room_id", "POST /createRoom");
  }

  /** Joins a room by id. */
  public void join(String roomId) throws IOException, InterruptedException {
    String path = API + "/rooms/" + enc(roomId) + "/join";
    expectOk("POST /rooms/{roomId}/join", call("POST", path, JSON.createObjectNode(), true));
  }

  /** Invites {@code userId} (local or on another server) into a room. */
  public void invite(String roomId, String userId) throws IOException, InterruptedException {
    String path = API + "/rooms/" + enc(roomId) + "/invite";
    expectOk("POST /rooms/{roomId}/invite", call("POST", path, JSON.createObjectNode().put("user_id", userId), true));
  }

  /**
   * {@code POST /join/{roomIdOrAlias}?server_name=via}: joins through the named server (a remote
   * join when this user's server is not yet in the room). Returns when the answer arrived.
   */
  public Timed joinVia(String roomIdOrAlias, String via, Duration timeout) throws IOException, InterruptedException {
    String path = API + "/join/" + enc(roomIdOrAlias) + "?server_name=" + enc(via);
    Raw raw = call("POST", path, JSON.createObjectNode(), true, timeout);
    return new Timed(expectOk("POST /join/{roomIdOrAlias}", raw), raw.receivedNanos());
  }

  /** Sends a state event with {@code PUT /rooms/{roomId}/state/{type}/{stateKey}}. */
  public void sendState(String roomId, String type, String stateKey, JsonNode content)
      throws IOException, InterruptedException {
    String path = API + "/rooms/" + enc(roomId) + "/state/" + enc(type) + "/" + enc(stateKey);
    expectOk("PUT /rooms/{roomId}/state", call("PUT", path, content, true));
  }

  /** The number of events in a room's current state ({@code GET /rooms/{roomId}/state}). */
  public int stateCount(String roomId) throws IOException, InterruptedException {
    return expectOk("GET /rooms/{roomId}/state", call("GET", API + "/rooms/" + enc(roomId) + "/state", null, true))
        .size();
  }

  /** Sends an {@code m.room.message}; returns the event id and when the answer arrived. */
  public Timed sendMessage(String roomId, String txnId, String body) throws IOException, InterruptedException {
    ObjectNode content = JSON.createObjectNode().put("msgtype", "m.text").put("body", body);
    String path = API + "/rooms/" + enc(roomId) + "/send/m.room.message/" + enc(txnId);
    Raw raw = call("PUT", path, content, true);
    return new Timed(expectOk("PUT /rooms/{roomId}/send", raw), raw.receivedNanos());
  }

  /**
   * Calls {@code GET /sync}.
   *
   * @param since the previous {@code next_batch}, or {@code null} for an initial sync
   * @param timeoutMs the long-poll timeout given to the server
   * @param filter an inline JSON filter, or {@code null}
   */
  public Timed sync(String since, long timeoutMs, String filter) throws IOException, InterruptedException {
    StringBuilder q = new StringBuilder(API).append("/sync?timeout=").append(timeoutMs);
    if (since != null) {
      q.append("&since=").append(enc(since));
    }
    if (filter != null) {
      q.append("&filter=").append(enc(filter));
    }
    Raw raw = call("GET", q.toString(), null, true, Duration.ofMillis(timeoutMs + 30_000));
    return new Timed(expectOk("GET /sync", raw), raw.receivedNanos());
  }

  /** Calls {@code POST /search} with the given body; returns the response and when it arrived. */
  public Timed search(JsonNode body) throws IOException, InterruptedException {
    Raw raw = call("POST", API + "/search", body, true);
    return new Timed(expectOk("POST /search", raw), raw.receivedNanos());
  }

  /** {@code GET /_matrix/client/versions}; returns true on HTTP 200. */
  public boolean versions(Duration timeout) throws IOException, InterruptedException {
    return call("GET", "/_matrix/client/versions", null, false, timeout).status() == 200;
  }

  @Override
  public void close() {
    // The HTTP client is shared by every MatrixClient and lives as long as the process.
  }

  private record Raw(int status, JsonNode body, long receivedNanos) {}

  private Raw call(String method, String pathAndQuery, JsonNode body, boolean auth)
      throws IOException, InterruptedException {
    return call(method, pathAndQuery, body, auth, Duration.ofSeconds(60));
  }

  private Raw call(String method, String pathAndQuery, JsonNode body, boolean auth, Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(timeout);
    if (auth && accessToken != null) {
      b.header("Authorization", "Bearer " + accessToken);
    }
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json");
      b.method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    }
    HttpResponse<byte[]> res;
    try {
      res = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (java.net.ConnectException e) {
      throw new CliFailure("cannot connect to " + base + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    } catch (java.net.http.HttpTimeoutException e) {
      throw new CliFailure(method + " " + stripQuery(pathAndQuery) + ": no answer within " + timeout, e);
    }
    long received = System.nanoTime();
    JsonNode parsed;
    try {
      parsed = res.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(res.body());
    } catch (IOException e) {
      if (res.statusCode() / 100 == 2) {
        throw new CliFailure(method + " " + stripQuery(pathAndQuery) + ": response is not JSON", e);
      }
      parsed = JSON.createObjectNode();
    }
    return new Raw(res.statusCode(), parsed, received);
  }

  private static JsonNode expectOk(String what, Raw raw) {
    if (raw.status() / 100 != 2) {
      throw new MatrixError(
          what, raw.status(), raw.body().path("errcode").asText(null), raw.body().path("error").asText(null));
    }
    return raw.body();
  }

  private static String text(JsonNode node, String field, String what) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new CliFailure(what + ": response lacks \"" + field + "\"");
    }
    return v.asText();
  }

  private static String stripQuery(String p) {
    int q = p.indexOf('?');
    return q < 0 ? p : p.substring(0, q);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
