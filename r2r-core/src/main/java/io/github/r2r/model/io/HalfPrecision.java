package io.github.r2r.model.io;

/**
 * Conversions between {@code float} and the 16-bit formats IEEE 754 binary16 ({@link DType#F16})
 * and bfloat16 ({@link DType#BF16}).
 *
 * <p>Narrowing rounds to nearest, ties to even, as IEEE 754 and PyTorch's {@code .half()} do:
 * magnitudes of 65520 and above become infinity, magnitudes below 2<sup>-14</sup> become binary16
 * subnormals, and magnitudes at or below 2<sup>-25</sup> become zero of the same sign. NaN stays
 * NaN (quiet) and keeps as much of its payload as fits. Widening is exact. Java 20's {@code
 * Float.floatToFloat16} is not available on Java 17, hence this class.
 */
public final class HalfPrecision {
  private static final int F16_SIGN = 0x8000;
  private static final int F16_INFINITY = 0x7C00;
  private static final int F16_QUIET_BIT = 0x0200;

  /** Float mantissa bits that binary16 drops from a normal value. */
  private static final int DROPPED_BITS = 13;

  private HalfPrecision() {}

  /**
   * The binary16 bit pattern nearest to {@code value} (ties to even).
   *
   * @param value any float, infinities and NaN included
   * @return the binary16 bits (see the class comment for overflow, underflow and NaN)
   */
  public static short floatToF16Bits(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & F16_SIGN;
    int exponent = (bits >>> 23) & 0xFF;
    int mantissa = bits & 0x7FFFFF;
    if (exponent == 0xFF) {
      return (short)
          (mantissa == 0
              ? sign | F16_INFINITY
              : sign | F16_INFINITY | F16_QUIET_BIT | (mantissa >>> DROPPED_BITS));
    }
    // Rebias from float's 127 to binary16's 15.
    int halfExponent = exponent - 127 + 15;
    if (halfExponent >= 0x1F) {
      return (short) (sign | F16_INFINITY);
    }
    if (halfExponent <= 0) {
      // Below 2^-25 every value, float subnormals included, rounds to zero; at 2^-25 exactly the
      // tie goes to the even zero, which the rounding below also yields.
      if (halfExponent < -10) {
        return (short) sign;
      }
      int significand = mantissa | 0x800000;
      int shift = 14 - halfExponent;
      return (short) (sign | roundRightShift(significand, shift));
    }
    // A carry out of the mantissa correctly increments the exponent, up to infinity.
    return (short) (sign | ((halfExponent << 10) + roundRightShift(mantissa, DROPPED_BITS)));
  }

  /**
   * The exact {@code float} value of a binary16 bit pattern.
   *
   * @param halfBits the binary16 bits
   * @return the same value as a float
   */
  public static float f16BitsToFloat(short halfBits) {
    int bits = halfBits & 0xFFFF;
    int sign = (bits & F16_SIGN) << 16;
    int exponent = (bits >>> 10) & 0x1F;
    int mantissa = bits & 0x3FF;
    if (exponent == 0) {
      // Subnormal (or zero): mantissa * 2^-24, exact in float.
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    if (exponent == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << DROPPED_BITS));
    }
    return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << DROPPED_BITS));
  }

  /**
   * The bfloat16 bit pattern nearest to {@code value} (ties to even).
   *
   * @param value any float, infinities and NaN included
   * @return the bfloat16 bits: the float's upper 16 bits after rounding; NaN stays a quiet NaN
   */
  public static short floatToBf16Bits(float value) {
    int bits = Float.floatToRawIntBits(value);
    if (Float.isNaN(value)) {
      return (short) ((bits >>> 16) | 0x0040);
    }
    // Overflow of the rounded mantissa carries into the exponent, reaching infinity as it should.
    return (short) (roundRightShift(bits & 0x7FFFFFFF, 16) | ((bits >>> 16) & 0x8000));
  }

  /**
   * The exact {@code float} value of a bfloat16 bit pattern.
   *
   * @param bf16Bits the bfloat16 bits
   * @return the same value as a float
   */
  public static float bf16BitsToFloat(short bf16Bits) {
    return Float.intBitsToFloat((bf16Bits & 0xFFFF) << 16);
  }

  /** {@code value >> shift} rounded to nearest, ties to even; {@code 1 <= shift <= 30}. */
  private static int roundRightShift(int value, int shift) {
    int truncated = value >>> shift;
    int remainder = value & ((1 << shift) - 1);
    int half = 1 << (shift - 1);
    if (remainder > half || (remainder == half && (truncated & 1) == 1)) {
      truncated++;
    }
    return truncated;
  }
}
