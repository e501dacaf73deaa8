package dev.myelin.cli.bench;

import java.util.Arrays;

/**
 * Nearest-rank percentiles over a sorted copy of a {@code long[]} sample (typically nanoseconds).
 * The p-th percentile is the smallest value such that at least p% of the sample is less than or
 * equal to it.
 */
public final class Percentiles {
  private final long[] sorted;

  private Percentiles(long[] sorted) {
    this.sorted = sorted;
  }

  /** Sorts a copy of the first {@code count} values. */
  public static Percentiles of(long[] values, int count) {
    if (count < 0 || count > values.length) {
      throw new IllegalArgumentException("count " + count + " out of range");
    }
    long[] copy = Arrays.copyOf(values, count);
    Arrays.sort(copy);
    return new Percentiles(copy);
  }

  public static Percentiles of(long[] values) {
    return of(values, values.length);
  }

  public int count() {
    return sorted.length;
  }

  public boolean isEmpty() {
    return sorted.length == 0;
  }

  /**
   * Returns the nearest-rank percentile.
   *
   * @param p in (0, 100]
   * @throws IllegalStateException if the sample is empty
   */
  public long value(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
    }
    if (sorted.length == 0) {
      throw new IllegalStateException("empty sample");
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }

  /**
   * The arithmetic mean, rounded down.
   *
   * @throws IllegalStateException if the sample is empty
   */
  public long mean() {
    if (sorted.length == 0) {
      throw new IllegalStateException("empty sample");
    }
    double sum = 0;
    for (long v : sorted) {
      sum += v;
    }
    return (long) Math.floor(sum / sorted.length);
  }

  public long min() {
    return value(Double.MIN_VALUE);
  }

  public long max() {
    return value(100);
  }

  /** Formats a percentile of a nanosecond sample as milliseconds with three decimals. */
  public String ms(double p) {
    return isEmpty() ? "n/a" : millis(value(p));
  }

  /** Formats nanoseconds as milliseconds with three decimals. */
  public static String millis(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.3f", nanos / 1_000_000.0);
  }
}
