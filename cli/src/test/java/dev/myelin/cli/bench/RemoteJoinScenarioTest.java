package dev.myelin.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How far the remote-join room is topped up with custom state. */
class RemoteJoinScenarioTest {

  @Test
  void topsUpToTheTargetAndNeverBelowZero() {
    assertEquals(3_995, RemoteJoinScenario.stateEventsToSend(5_000, 1_005));
    assertEquals(0, RemoteJoinScenario.stateEventsToSend(5_000, 5_000));
    assertEquals(0, RemoteJoinScenario.stateEventsToSend(100, 1_005));
  }
}
