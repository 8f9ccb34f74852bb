package io.github.r2r.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PairedSignificanceTest {
  @Test
  void exactPValuesCountedByHand() {
    // Differences 1, 2, 3: the 8 sign assignments sum to 6, 0, 2, −4, 4, −2, 0, −6.
    // Observed sum 6: only +6 and −6 are as extreme, so p = 2/8.
    PairedSignificance.Result r = PairedSignificance.test(new double[] {1, 2, 3}, 1, 0);
    assertTrue(r.exact());
    assertEquals(0.25, r.pValue(), 1e-12);
    assertEquals(2.0, r.meanDifference(), 1e-12);
    // Differences 1, −1, 2 (observed sum 2): (+,+,+)=2 (+,+,−)=−2 (+,−,+)=4 (+,−,−)=0 (−,+,+)=0 (−,+,−)=−4 (−,−,+)=2 (−,−,−)=−2 → 6 of 8 have |sum| ≥ 2.
    assertEquals(0.75, PairedSignificance.test(new double[] {1, -1, 2}, 1, 0).pValue(), 1e-12);
  }

  @Test
  void identicalSystemsAreNeverSignificant() {
    assertEquals(1.0, PairedSignificance.test(new double[] {0, 0, 0, 0}, 1, 0).pValue());
    double[] zeros = new double[43];
    assertEquals(1.0, PairedSignificance.test(zeros, 1000, 7).pValue());
  }

  @Test
  void aConsistentGainOnManyQueriesIsSignificantAndTheSampledPValueIsReproducible() {
    double[] gains = new double[43];
    Arrays.fill(gains, 0.02);
    gains[0] = -0.01;
    PairedSignificance.Result r = PairedSignificance.test(gains, 20_000, 11);
    assertFalse(r.exact());
    assertTrue(r.pValue() < 0.001, "p = " + r.pValue());
    assertTrue(r.pValue() > 0, "a sampled p-value counts the observed assignment");
    assertEquals(r, PairedSignificance.test(gains, 20_000, 11));
  }

  @Property(tries = 30)
  void theSampledPValueAgreesWithTheExactOne(
      @ForAll @Size(min = 12, max = 14) double[] raw, @ForAll @DoubleRange(min = -0.2, max = 0.2) double shift) {
    double[] d = Arrays.stream(raw).map(x -> Double.isFinite(x) ? Math.tanh(x) * 0.3 + shift : shift).toArray();
    double exact = PairedSignificance.test(d, 1, 0).pValue();
    // The same differences, padded past the exact limit with zeros (which change no sum), are sampled.
    double[] padded = Arrays.copyOf(d, PairedSignificance.EXACT_LIMIT + 1);
    double sampled = PairedSignificance.test(padded, 40_000, 3).pValue();
    assertEquals(exact, sampled, 0.015, "exact " + exact + ", sampled " + sampled);
  }

  @Test
  void badInputIsNamed() {
    assertEquals("no per-query differences to test",
        assertThrows(IllegalArgumentException.class, () -> PairedSignificance.test(new double[0], 1, 0)).getMessage());
    assertEquals("per-query difference NaN is not finite",
        assertThrows(IllegalArgumentException.class, () -> PairedSignificance.test(new double[] {Double.NaN}, 1, 0))
            .getMessage());
    assertEquals("trials must be positive, got 0",
        assertThrows(IllegalArgumentException.class, () -> PairedSignificance.test(new double[] {1}, 0, 0)).getMessage());
  }
}
