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
  BOOL(1, Kind.BOOLEAN),
  U8(1, Kind.UNSIGNED_INTEGER),
  I8(1, Kind.SIGNED_INTEGER),
  I16(2, Kind.SIGNED_INTEGER),
  U16(2, Kind.UNSIGNED_INTEGER),
  F16(2, Kind.FLOATING_POINT),
  BF16(2, Kind.FLOATING_POINT),
  I32(4, Kind.SIGNED_INTEGER),
  U32(4, Kind.UNSIGNED_INTEGER),
  F32(4, Kind.FLOATING_POINT),
  F64(8, Kind.FLOATING_POINT),
  I64(8, Kind.SIGNED_INTEGER),
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

  /** Bytes per element. */
  public int byteSize() {
    return byteSize;
  }

  /** True for {@link #F16}, {@link #BF16}, {@link #F32} and {@link #F64}. */
  public boolean isFloatingPoint() {
    return kind == Kind.FLOATING_POINT;
  }

  /** True for the signed and unsigned integer types (not {@link #BOOL}). */
  public boolean isInteger() {
    return kind == Kind.SIGNED_INTEGER || kind == Kind.UNSIGNED_INTEGER;
  }

  /** True for the unsigned integer types. */
  public boolean isUnsigned() {
    return kind == Kind.UNSIGNED_INTEGER;
  }

  /** The name used in safetensors headers; identical to {@link #name()}. */
  public String safetensorsName() {
    return name();
  }

  /** The type with the given safetensors header name, if this library supports it. */
  public static Optional<DType> fromSafetensorsName(String name) {
    for (DType type : values()) {
      if (type.name().equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
