package dev.myelin.cli.bench;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.myelin.cli.CliFailure;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The bench refuses to load anything but this machine. */
class BenchCommandTest {

  @Test
  void loopbackUrlsAreAccepted() {
    assertDoesNotThrow(() -> BenchCommand.requireLoopback(URI.create("http://127.0.0.1:8008")));
    assertDoesNotThrow(() -> BenchCommand.requireLoopback(URI.create("http://[::1]:8008")));
  }

  @Test
  void otherUrlsAreRefused() {
    assertThrows(CliFailure.class, () -> BenchCommand.requireLoopback(URI.create("http://192.0.2.1:8008")));
    assertThrows(CliFailure.class, () -> BenchCommand.requireLoopback(URI.create("https://127.0.0.1:8448")));
  }
}
