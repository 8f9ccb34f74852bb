package io.github.r2r.model.io;

import java.util.Optional;

/**
 * Element types of a {@link Tensor}, named as in the safetensors header ({@code "F32"}, {@code
 * "BF16"}, ...).
 *
 * <p>The constants are declared in the order of the safetensors reference implementation's {@code
 * Dtype} enum (increasing alignment); {@link SafeTensors} writes tensors in descending order of
 * this ranking so that files it writes are laid out byte for byte like those of the reference
 * implementation.
 */
public enum DType {
  /** Boolean, one byte per element (0 or 1). */
  BOOL(1, Kind.BOOLEAN),
  /** Unsigned 8-bit integer. */
  U8(1, Kind.UNSIGNED_INTEGER),
  /** Signed 8-bit integer. */
  I8(1, Kind.SIGNED_INTEGER),
  /** Signed 16-bit integer. */
  I16(2, Kind.SIGNED_INTEGER),
  /** Unsigned 16-bit integer. */
  U16(2, Kind.UNSIGNED_INTEGER),
  /** IEEE 754 half precision (binary16). */
  F16(2, Kind.FLOATING_POINT),
  /** bfloat16: the upper 16 bits of a float32 (8 exponent bits, 7 mantissa bits). */
  BF16(2, Kind.FLOATING_POINT),
  /** Signed 32-bit integer. */
  I32(4, Kind.SIGNED_INTEGER),
  /** Unsigned 32-bit integer. */
  U32(4, Kind.UNSIGNED_INTEGER),
  /** IEEE 754 single precision (float32). */
  F32(4, Kind.FLOATING_POINT),
  /** IEEE 754 double precision (float64). */
  F64(8, Kind.FLOATING_POINT),
  /** Signed 64-bit integer. */
  I64(8, Kind.SIGNED_INTEGER),
  /** Unsigned 64-bit integer. */
  U64(8, Kind.UNSIGNED_INTEGER);

  private enum Kind {
    BOOLEAN,
    SIGNED_INTEGER,
    UNSIGNED_INTEGER,
    FLOATING_POINT
  }

  private final int byteSize;
  private final Kind kind;

  DType(int byteSize, Kind kind) {
    this.byteSize = byteSize;
    this.kind = kind;
  }

  /** {@return the bytes per element} */
  public int byteSize() {
    return byteSize;
  }

  /** {@return true for {@link #F16}, {@link #BF16}, {@link #F32} and {@link #F64}} */
  public boolean isFloatingPoint() {
    return kind == Kind.FLOATING_POINT;
  }

  /** {@return true for the signed and unsigned integer types (not {@link #BOOL})} */
  public boolean isInteger() {
    return kind == Kind.SIGNED_INTEGER || kind == Kind.UNSIGNED_INTEGER;
  }

  /** {@return true for the unsigned integer types} */
  public boolean isUnsigned() {
    return kind == Kind.UNSIGNED_INTEGER;
  }

  /** {@return the name used in safetensors headers; identical to {@link #name()}} */
  public String safetensorsName() {
    return name();
  }

  /**
   * The type with the given safetensors header name, if this library supports it.
   *
   * @param name the header's {@code dtype} value, case-sensitive ({@code "F32"})
   * @return the type, or empty for a name this library does not know (or null)
   */
  public static Optional<DType> fromSafetensorsName(String name) {
    for (DType type : values()) {
      if (type.name().equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
