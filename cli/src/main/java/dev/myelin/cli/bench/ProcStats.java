package dev.myelin.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Reads a process's CPU time ({@code /proc/<pid>/stat}: utime + stime, in clock ticks) and
 * resident memory and thread count ({@code /proc/<pid>/status}: VmRSS, Threads). Linux only.
 */
public final class ProcStats {
  private static final long FALLBACK_CLK_TCK = 100;

  private ProcStats() {}

  /** One reading of a process. */
  public record Sample(long cpuTicks, long rssKb, int threads) {
    /** Resident set size in MiB. */
    public double rssMb() {
      return rssKb / 1024.0;
    }
  }

  /** The interesting fields of {@code /proc/<pid>/status}. */
  public record Status(long rssKb, int threads) {}

  /** Reads both files for {@code pid}. */
  public static Sample read(long pid) throws IOException {
    Path dir = Path.of("/proc", Long.toString(pid));
    long ticks = parseCpuTicks(Files.readString(dir.resolve("stat")));
    Status status = parseStatus(Files.readString(dir.resolve("status")));
    return new Sample(ticks, status.rssKb(), status.threads());
  }

  /**
   * Returns utime + stime (fields 14 and 15) from the content of {@code /proc/<pid>/stat}. The
   * command name (field 2) is in parentheses and may itself contain spaces and parentheses, so
   * fields are counted from the last closing parenthesis.
   */
  public static long parseCpuTicks(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line");
    }
    String[] f = stat.substring(close + 1).trim().split("\\s+");
    // f[0] is field 3 (state), so field n is f[n - 3].
    if (f.length < 13) {
      throw new IllegalArgumentException("/proc/<pid>/stat has too few fields");
    }
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** Extracts VmRSS (kB) and Threads from the content of {@code /proc/<pid>/status}. */
  public static Status parseStatus(String status) {
    long rss = -1;
    int threads = -1;
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        String[] parts = line.substring(6).trim().split("\\s+");
        rss = Long.parseLong(parts[0]);
        if (parts.length > 1 && !parts[1].equalsIgnoreCase("kB")) {
          throw new IllegalArgumentException("unexpected VmRSS unit: " + parts[1]);
        }
      } else if (line.startsWith("Threads:")) {
        threads = Integer.parseInt(line.substring(8).trim());
      }
    }
    if (rss < 0) {
      throw new IllegalArgumentException("/proc/<pid>/status has no VmRSS (process gone or a kernel thread?)");
    }
    return new Status(rss, threads);
  }

  /** Clock ticks per second from {@code getconf CLK_TCK}, or 100 if that fails. */
  public static long clockTicksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return parseClkTck(out);
      }
    } catch (IOException | NumberFormatException e) {
      // use the fallback
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return FALLBACK_CLK_TCK;
  }

  static long parseClkTck(String out) {
    long v = Long.parseLong(out.trim());
    return v > 0 ? v : FALLBACK_CLK_TCK;
  }
}
