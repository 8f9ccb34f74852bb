package io.github.r2r.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Expected bit patterns come from the IEEE 754 binary16 layout (1 sign, 5 exponent bits with bias
 * 15, 10 mantissa bits) worked out by hand; the inputs are written as exact binary fractions.
 */
class HalfPrecisionTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    // value, expected binary16 bits
    "0x0p0, 0x0000",
    "-0x0p0, 0x8000",
    "0x1p0, 0x3C00", // 1.0
    "-0x1p1, 0xC000", // -2.0
    "0x1p-1, 0x3800", // 0.5
    "0x1.8p1, 0x4200", // 3.0
    "0x1.ffcp15, 0x7BFF", // 65504, the largest finite value
    "0x1.ffdp15, 0x7BFF", // 65512, rounds down to 65504
    "0x1.ffep15, 0x7C00", // 65520: the tie between 65504 (odd mantissa) and 2^16 goes up: infinity
    "0x1p16, 0x7C00", // 65536 overflows to infinity
    "-0x1p20, 0xFC00",
    "0x1p-14, 0x0400", // smallest normal
    "0x1.ff8p-15, 0x03FF", // 1023 * 2^-24, the largest subnormal
    "0x1p-24, 0x0001", // smallest subnormal
    "0x1p-25, 0x0000", // exactly half the smallest subnormal: tie to even zero
    "-0x1p-25, 0x8000",
    "0x1.000002p-25, 0x0001", // just above that half: rounds up
    "0x1.8p-24, 0x0002", // 1.5 * 2^-24: tie between 1 and 2 goes to even 2
    "0x1.4p-23, 0x0002", // 2.5 * 2^-24: tie between 2 and 3 goes to even 2
    "0x1p-26, 0x0000",
    "0x1p-149, 0x0000", // float subnormal
    "0x1.002p0, 0x3C00", // 1 + 2^-11, tie between 0x3C00 and 0x3C01: even
    "0x1.006p0, 0x3C02", // 1 + 3*2^-11, tie between 0x3C01 and 0x3C02: even
    "0x1.002002p0, 0x3C01", // just above the first tie: up
    "0x1.ffep-1, 0x3C00", // 1 - 2^-12 rounds up into the next binade: 1.0
    "0x1.921fb6p1, 0x4248", // pi -> 3.140625
    "0x1.555556p-2, 0x3555", // 1/3 -> 0.333251953125
  })
  void floatToF16BitsRoundsToNearestEven(String value, String expectedBits) {
    float input = Float.parseFloat(value);
    assertEquals(
        Integer.decode(expectedBits).intValue(),
        HalfPrecision.floatToF16Bits(input) & 0xFFFF,
        () -> "bits of " + input);
  }

  @Test
  void infinitiesAndNanConvertToF16() {
    assertEquals(0x7C00, HalfPrecision.floatToF16Bits(Float.POSITIVE_INFINITY) & 0xFFFF);
    assertEquals(0xFC00, HalfPrecision.floatToF16Bits(Float.NEGATIVE_INFINITY) & 0xFFFF);
    int nan = HalfPrecision.floatToF16Bits(Float.NaN) & 0xFFFF;
    assertEquals(0x7C00, nan & 0x7C00, "all exponent bits set");
    assertTrue((nan & 0x03FF) != 0, "nonzero mantissa");
    // A signalling NaN whose payload lies entirely in the dropped low bits must stay a NaN.
    int lowPayloadNan = HalfPrecision.floatToF16Bits(Float.intBitsToFloat(0x7F800001)) & 0xFFFF;
    assertEquals(0x7C00, lowPayloadNan & 0x7C00);
    assertTrue((lowPayloadNan & 0x03FF) != 0);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "0x0000, 0x0p0",
    "0x8000, -0x0p0",
    "0x3C00, 0x1p0",
    "0xC000, -0x1p1",
    "0x3555, 0x1.554p-2",
    "0x7BFF, 0x1.ffcp15",
    "0x0400, 0x1p-14",
    "0x03FF, 0x1.ff8p-15",
    "0x0001, 0x1p-24",
    "0x8001, -0x1p-24",
    "0x7C00, Infinity",
    "0xFC00, -Infinity",
  })
  void f16BitsToFloatIsExact(String bits, String expected) {
    float actual = HalfPrecision.f16BitsToFloat((short) (int) Integer.decode(bits));
    assertEquals(
        Float.floatToIntBits(Float.parseFloat(expected)),
        Float.floatToIntBits(actual),
        () -> bits + " gave " + actual);
  }

  @Test
  void f16NanBitsGiveNan() {
    assertTrue(Float.isNaN(HalfPrecision.f16BitsToFloat((short) 0x7E00)));
    assertTrue(Float.isNaN(HalfPrecision.f16BitsToFloat((short) 0xFC01)));
  }

  @Test
  void everyNonNanF16SurvivesWideningAndNarrowing() {
    for (int bits = 0; bits <= 0xFFFF; bits++) {
      boolean nan = (bits & 0x7C00) == 0x7C00 && (bits & 0x03FF) != 0;
      if (!nan) {
        float wide = HalfPrecision.f16BitsToFloat((short) bits);
        assertEquals(bits, HalfPrecision.floatToF16Bits(wide) & 0xFFFF, "bits " + bits);
      }
    }
  }

  /**
   * The binary16 result is the nearest of its two neighbouring binary16 values (checked in double
   * arithmetic, where all these differences are exact), and on a tie the one with an even mantissa.
   * Inputs cover the float exponents from 2^-27 to 2^15 with any mantissa.
   */
  @Property(tries = 3000)
  void floatToF16BitsPicksTheNearestRepresentable(
      @ForAll @IntRange(min = 100, max = 142) int biasedExponent,
      @ForAll @IntRange(min = 0, max = 0x7FFFFF) int mantissa,
      @ForAll boolean negative) {
    float magnitude = Float.intBitsToFloat((biasedExponent << 23) | mantissa);
    float value = negative ? -magnitude : magnitude;
    // Overflow to infinity (from 65520 on) is covered by the table above.
    Assume.that(magnitude < 65520f);
    int bits = HalfPrecision.floatToF16Bits(value) & 0xFFFF;
    double chosen = HalfPrecision.f16BitsToFloat((short) bits);
    double error = Math.abs(chosen - value);
    for (int neighbour : new int[] {bits - 1, bits + 1}) {
      if ((neighbour & 0x7FFF) >= 0x7C00 || (neighbour & 0xFFFF) != neighbour) {
        continue;
      }
      double other = HalfPrecision.f16BitsToFloat((short) neighbour);
      double otherError = Math.abs(other - value);
      assertTrue(error <= otherError, () -> value + ": " + chosen + " is farther than " + other);
      if (error == otherError && error != 0) {
        assertEquals(0, bits & 1, () -> value + ": tie not broken to even");
      }
    }
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "0x1p0, 0x3F80",
    "-0x1p1, 0xC000",
    "0x1.02p0, 0x3F81", // 1 + 2^-7, exactly representable
    "0x1.01p0, 0x3F80", // 1 + 2^-8, tie between 0x3F80 and 0x3F81: even
    "0x1.03p0, 0x3F82", // 1 + 3*2^-8, tie between 0x3F81 and 0x3F82: even
    "0x1.010002p0, 0x3F81", // just above the first tie
    "0x1.921fb6p1, 0x4049", // pi -> 3.140625
    "0x1.fffffep127, 0x7F80", // Float.MAX_VALUE rounds to infinity
    "Infinity, 0x7F80",
    "-0x0p0, 0x8000",
  })
  void floatToBf16BitsRoundsToNearestEven(String value, String expectedBits) {
    assertEquals(
        Integer.decode(expectedBits).intValue(),
        HalfPrecision.floatToBf16Bits(Float.parseFloat(value)) & 0xFFFF);
  }

  @Test
  void bf16ConversionsKeepNanAndWidenExactly() {
    assertTrue(
        Float.isNaN(HalfPrecision.bf16BitsToFloat(HalfPrecision.floatToBf16Bits(Float.NaN))));
    assertTrue(
        Float.isNaN(
            HalfPrecision.bf16BitsToFloat(
                HalfPrecision.floatToBf16Bits(Float.intBitsToFloat(0x7F800001)))));
    assertEquals(3.140625f, HalfPrecision.bf16BitsToFloat((short) 0x4049));
    assertEquals(-2f, HalfPrecision.bf16BitsToFloat((short) 0xC000));
  }
}
