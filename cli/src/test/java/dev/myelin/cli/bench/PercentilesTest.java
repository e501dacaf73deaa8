package dev.myelin.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Nearest-rank percentile computation. */
class PercentilesTest {

  @Test
  void nearestRankOverOneToHundred() {
    long[] v = new long[100];
    for (int i = 0; i < 100; i++) {
      v[i] = 100 - i; // unsorted input: 100, 99, ..., 1
    }
    Percentiles p = Percentiles.of(v);
    assertEquals(50, p.value(50));
    assertEquals(90, p.value(90));
    assertEquals(99, p.value(99));
    assertEquals(100, p.max());
    assertEquals(1, p.min());
    assertEquals(100, v[0], "input must not be reordered");
  }

  @Test
  void smallSamplesRoundUp() {
    Percentiles p = Percentiles.of(new long[] {30, 10, 20});
    assertEquals(20, p.value(50)); // rank ceil(1.5) = 2
    assertEquals(30, p.value(99)); // rank ceil(2.97) = 3
    assertEquals(10, p.value(0.1));
    Percentiles one = Percentiles.of(new long[] {7});
    assertEquals(7, one.value(50));
    assertEquals(7, one.max());
  }

  @Test
  void usesOnlyTheFirstCountValuesAndHandlesNegatives() {
    Percentiles p = Percentiles.of(new long[] {-5, 3, -1, 999, 999}, 3);
    assertEquals(3, p.count());
    assertEquals(-1, p.value(50));
    assertEquals(3, p.max());
    assertEquals(-5, p.min());
  }

  @Test
  void emptyAndInvalid() {
    Percentiles empty = Percentiles.of(new long[0]);
    assertTrue(empty.isEmpty());
    assertEquals("n/a", empty.ms(50));
    assertThrows(IllegalStateException.class, () -> empty.value(50));
    Percentiles p = Percentiles.of(new long[] {1});
    assertThrows(IllegalArgumentException.class, () -> p.value(0));
    assertThrows(IllegalArgumentException.class, () -> p.value(100.5));
    assertThrows(IllegalArgumentException.class, () -> Percentiles.of(new long[1], 2));
  }

  @Test
  void meanOfTheCountedValues() {
    assertEquals(20, Percentiles.of(new long[] {30, 10, 20}).mean());
    assertEquals(2, Percentiles.of(new long[] {1, 2, 2, 3, 1_000}, 4).mean()); // 8 / 4
    assertEquals(1, Percentiles.of(new long[] {1, 2}).mean()); // 1.5 rounds down
    assertEquals(-3, Percentiles.of(new long[] {-2, -3}).mean()); // -2.5 rounds down
    long big = 4_000_000_000_000_000_000L;
    assertEquals(big, Percentiles.of(new long[] {big, big, big}).mean());
    assertThrows(IllegalStateException.class, () -> Percentiles.of(new long[0]).mean());
  }

  @Test
  void formatsMillisecondsWithThreeDecimals() {
    assertEquals("1.235", Percentiles.millis(1_234_567));
    assertEquals("0.000", Percentiles.millis(0));
    assertEquals("-0.500", Percentiles.millis(-500_000));
    assertEquals("2.000", Percentiles.of(new long[] {2_000_000}).ms(99));
  }
}
