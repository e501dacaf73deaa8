package dev.myelin.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Parsing of /proc/[pid]/stat and /proc/[pid]/status. */
class ProcStatsTest {
  private static final String STAT =
      "4242 (java) S 1 4242 4242 0 -1 4194560 53107 0 12 0 1234 567 0 0 20 0 41 0 "
          + "88713 4096000000 61234 18446744073709551615 1 1 0 0 0 0 0 2 16800975 0 0 0 17 1 0 0 0 0 0\n";

  @Test
  void cpuTicksAreUtimePlusStime() {
    assertEquals(1234 + 567, ProcStats.parseCpuTicks(STAT));
  }

  @Test
  void commandNamesWithSpacesAndParenthesesAreSkipped() {
    String odd = STAT.replace("(java)", "(my (odd) name) x)");
    assertEquals(1801, ProcStats.parseCpuTicks(odd));
  }

  @Test
  void malformedStatIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> ProcStats.parseCpuTicks("garbage"));
    assertThrows(IllegalArgumentException.class, () -> ProcStats.parseCpuTicks("1 (x) S 1 2"));
  }

  @Test
  void statusYieldsRssAndThreads() {
    String status = "Name:\tjava\nState:\tS (sleeping)\nVmPeak:\t 4000000 kB\nVmRSS:\t  245760 kB\n"
        + "RssAnon:\t  200000 kB\nThreads:\t41\nSigQ:\t0/63414\n";
    ProcStats.Status s = ProcStats.parseStatus(status);
    assertEquals(245_760, s.rssKb());
    assertEquals(41, s.threads());
    assertEquals(240.0, new ProcStats.Sample(0, s.rssKb(), s.threads()).rssMb(), 1e-9);
  }

  @Test
  void statusWithoutRssIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> ProcStats.parseStatus("Name:\tkthreadd\nThreads:\t1\n"));
  }

  @Test
  void clockTicks() {
    assertEquals(100, ProcStats.parseClkTck("100\n"));
    assertEquals(100, ProcStats.parseClkTck("0"));
    assertThrows(NumberFormatException.class, () -> ProcStats.parseClkTck("undefined"));
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void readsThisProcess() throws Exception {
    ProcStats.Sample s = ProcStats.read(ProcessHandle.current().pid());
    assertTrue(s.rssKb() > 0);
    assertTrue(s.threads() > 0);
    assertTrue(s.cpuTicks() >= 0);
    assertTrue(ProcStats.clockTicksPerSecond() > 0);
  }
}
