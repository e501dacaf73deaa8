package dev.myelin.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.myelin.cli.Myelin;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The client against a stub server: the dummy-auth registration flow and Matrix error reporting. */
class MatrixClientTest {
  private HttpServer stub;
  private URI url;

  @BeforeEach
  void start() throws IOException {
    stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    stub.createContext("/_matrix/client/v3/register", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      if (!body.contains("m.login.dummy")) {
        reply(ex, 401, "{\"session\":\"abc\",\"flows\":[{\"stages\":[\"m.login.dummy\"]}]}");
      } else if (body.contains("\"session\":\"abc\"")) {
        reply(ex, 200, "{\"user_id\":\"@a:localhost\",\"access_token\":\"tok\",\"device_id\":\"D\"}");
      } else {
        reply(ex, 400, "{\"errcode\":\"M_BAD_JSON\",\"error\":\"no session\"}");
      }
    });
    stub.createContext("/_matrix/client/v3/createRoom", ex -> {
      boolean authed = "Bearer tok".equals(ex.getRequestHeaders().getFirst("Authorization"));
      reply(ex, 403, authed ? "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"no rooms today\"}" : "{}");
    });
    stub.start();
    url = URI.create("http://127.0.0.1:" + stub.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    stub.stop(0);
  }

  private static void reply(HttpExchange ex, int status, String json) throws IOException {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
    ex.close();
  }

  @Test
  void registersThroughTheDummyStageAndReportsMatrixErrors() throws Exception {
    try (MatrixClient c = new MatrixClient(url)) {
      MatrixClient.Session s = c.register("a", "pw");
      assertEquals("@a:localhost", s.userId());
      assertEquals("tok", c.accessToken());
      MatrixError e = assertThrows(MatrixError.class,
          () -> c.createRoom(MatrixClient.JSON.createObjectNode()));
      assertEquals(403, e.status());
      assertEquals("M_FORBIDDEN", e.errcode());
      assertEquals("POST /createRoom failed: HTTP 403 M_FORBIDDEN: no rooms today", e.getMessage());
    }
  }

  @Test
  void benchPrintsTheMatrixErrorAndExitsNonZero() {
    StringWriter err = new StringWriter();
    CommandLine cl = Myelin.commandLine();
    cl.setErr(new PrintWriter(err));
    cl.setOut(new PrintWriter(new StringWriter()));
    int code = cl.execute("--url", url.toString(), "bench", "--messages", "1", "--warmup", "0");
    assertEquals(Myelin.EXIT_FAILURE, code);
    assertEquals("myelin: POST /createRoom failed: HTTP 403 M_FORBIDDEN: no rooms today", err.toString().strip());
  }

  @Test
  void unreachableServerIsOneLine() {
    StringWriter err = new StringWriter();
    CommandLine cl = Myelin.commandLine();
    cl.setErr(new PrintWriter(err));
    stub.stop(0);
    int code = cl.execute("bench", "--url", url.toString(), "--messages", "1");
    assertEquals(Myelin.EXIT_FAILURE, code);
    assertTrue(err.toString().startsWith("myelin: cannot connect to " + url), err.toString());
  }
}
