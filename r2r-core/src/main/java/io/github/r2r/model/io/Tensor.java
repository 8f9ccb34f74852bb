package io.github.r2r.model.io;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A named, dense, row-major tensor held on the Java side: element type, shape and the little-endian
 * bytes of its elements.
 *
 * <p>Instances are immutable as far as this class is concerned: {@link #data()} hands out read-only
 * views. A tensor built with {@link #of} shares the caller's buffer without copying (weights can be
 * hundreds of megabytes), so the caller must not modify that buffer afterwards. Tensors read from
 * files share one memory-mapped buffer per file.
 *
 * <p>Two tensors are equal when name, type, shape and bytes are equal.
 */
public final class Tensor {
  private final String name;
  private final DType dtype;
  private final long[] shape;
  private final ByteBuffer data;

  private Tensor(String name, DType dtype, long[] shape, ByteBuffer data) {
    this.name = name;
    this.dtype = dtype;
    this.shape = shape;
    this.data = data;
  }

  /**
   * A tensor over {@code data}'s remaining bytes, which are read as little-endian elements of
   * {@code dtype} in row-major order. The buffer is not copied.
   *
   * @param name the tensor's name (in a checkpoint, the weight's)
   * @param dtype the element type
   * @param shape the shape, copied; empty for a scalar
   * @param data the element bytes from its position to its limit; must not change afterwards
   * @return the tensor
   * @throws NullPointerException if {@code name} or {@code dtype} is null
   * @throws IllegalArgumentException if a dimension is negative, or the number of remaining bytes
   *     is not the element count times {@code dtype.byteSize()}
   */
  public static Tensor of(String name, DType dtype, long[] shape, ByteBuffer data) {
    checkNotNull(name, "name");
    checkNotNull(dtype, "dtype");
    long[] ownShape = shape.clone();
    long expectedBytes = requiredBytes(name, dtype, ownShape);
    checkArgument(
        data.remaining() == expectedBytes,
        "tensor %s: %s bytes of data, but shape %s of %s needs %s",
        name,
        data.remaining(),
        Arrays.toString(ownShape),
        dtype,
        expectedBytes);
    return new Tensor(
        name, dtype, ownShape, data.slice().order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer());
  }

  /**
   * An {@link DType#F32} tensor holding a copy of {@code values}.
   *
   * @param name the tensor's name
   * @param shape the shape, copied; its element count must be {@code values.length}
   * @param values the elements in row-major order
   * @return the tensor
   * @throws IllegalArgumentException if a dimension is negative, or the shape does not hold {@code
   *     values.length} elements
   */
  public static Tensor ofFloats(String name, long[] shape, float[] values) {
    ByteBuffer buffer = allocate(values.length, DType.F32);
    buffer.asFloatBuffer().put(values);
    return of(name, DType.F32, shape, buffer);
  }

  /**
   * An {@link DType#I64} tensor holding a copy of {@code values}.
   *
   * @param name the tensor's name
   * @param shape the shape, copied; its element count must be {@code values.length}
   * @param values the elements in row-major order
   * @return the tensor
   * @throws IllegalArgumentException if a dimension is negative, or the shape does not hold {@code
   *     values.length} elements
   */
  public static Tensor ofLongs(String name, long[] shape, long[] values) {
    ByteBuffer buffer = allocate(values.length, DType.I64);
    buffer.asLongBuffer().put(values);
    return of(name, DType.I64, shape, buffer);
  }

  /**
   * An {@link DType#I32} tensor holding a copy of {@code values}.
   *
   * @param name the tensor's name
   * @param shape the shape, copied; its element count must be {@code values.length}
   * @param values the elements in row-major order
   * @return the tensor
   * @throws IllegalArgumentException if a dimension is negative, or the shape does not hold {@code
   *     values.length} elements
   */
  public static Tensor ofInts(String name, long[] shape, int[] values) {
    ByteBuffer buffer = allocate(values.length, DType.I32);
    buffer.asIntBuffer().put(values);
    return of(name, DType.I32, shape, buffer);
  }

  /**
   * The number of bytes a tensor of {@code dtype} and {@code shape} occupies.
   *
   * @throws IllegalArgumentException if a dimension is negative or the size overflows a long
   */
  static long requiredBytes(String name, DType dtype, long[] shape) {
    long elements = 1;
    for (long dimension : shape) {
      checkArgument(
          dimension >= 0,
          "tensor %s: negative dimension in shape %s",
          name,
          Arrays.toString(shape));
      try {
        elements = Math.multiplyExact(elements, dimension);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(
            "tensor " + name + ": shape " + Arrays.toString(shape) + " overflows a long", e);
      }
    }
    try {
      return Math.multiplyExact(elements, (long) dtype.byteSize());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "tensor " + name + ": byte size of shape " + Arrays.toString(shape) + " overflows a long",
          e);
    }
  }

  /** {@return the tensor's name} */
  public String name() {
    return name;
  }

  /** {@return the element type} */
  public DType dtype() {
    return dtype;
  }

  /** {@return a copy of the shape; empty for a scalar} */
  public long[] shape() {
    return shape.clone();
  }

  /** {@return the number of dimensions} */
  public int rank() {
    return shape.length;
  }

  /** {@return the number of elements: the product of the shape (1 for a scalar)} */
  public long elementCount() {
    long count = 1;
    for (long dimension : shape) {
      count *= dimension;
    }
    return count;
  }

  /** {@return a read-only, little-endian view of the element bytes, positioned at the first element} */
  public ByteBuffer data() {
    return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** {@return the size of the element bytes} */
  public long byteSize() {
    return data.remaining();
  }

  /**
   * This tensor's type, shape and data under another name.
   *
   * @param newName the name
   * @return a tensor sharing this one's data
   * @throws NullPointerException if {@code newName} is null
   */
  public Tensor withName(String newName) {
    checkNotNull(newName, "newName");
    return new Tensor(newName, dtype, shape, data);
  }

  /**
   * The elements as {@code float}s; exact for {@link DType#F16}, {@link DType#BF16} and {@link
   * DType#F32}, rounded to nearest for {@link DType#F64}.
   *
   * @return the elements in row-major order, a new array
   * @throws IllegalStateException if the type is not floating point, or the tensor has too many
   *     elements for a Java array
   */
  public float[] toFloatArray() {
    checkState(
        dtype.isFloatingPoint(), "tensor %s has type %s, not a floating-point type", name, dtype);
    float[] values = new float[checkedArrayLength()];
    ByteBuffer bytes = data();
    switch (dtype) {
      case F32:
        bytes.asFloatBuffer().get(values);
        break;
      case F16:
        for (int i = 0; i < values.length; i++) {
          values[i] = HalfPrecision.f16BitsToFloat(bytes.getShort(2 * i));
        }
        break;
      case BF16:
        for (int i = 0; i < values.length; i++) {
          values[i] = HalfPrecision.bf16BitsToFloat(bytes.getShort(2 * i));
        }
        break;
      case F64:
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) bytes.getDouble(8 * i);
        }
        break;
      default:
        throw new AssertionError(dtype);
    }
    return values;
  }

  /**
   * The elements as {@code long}s, for the integer types and {@link DType#BOOL} (0 or 1). {@link
   * DType#U64} values above {@link Long#MAX_VALUE} come out negative (two's complement).
   *
   * @return the elements in row-major order, a new array
   * @throws IllegalStateException if the type is floating point, or the tensor has too many elements
   *     for a Java array
   */
  public long[] toLongArray() {
    checkState(!dtype.isFloatingPoint(), "tensor %s has type %s, not an integer type", name, dtype);
    long[] values = new long[checkedArrayLength()];
    ByteBuffer bytes = data();
    for (int i = 0; i < values.length; i++) {
      values[i] = readInteger(bytes, i);
    }
    return values;
  }

  private long readInteger(ByteBuffer bytes, int index) {
    switch (dtype) {
      case BOOL:
      case U8:
        return Byte.toUnsignedLong(bytes.get(index));
      case I8:
        return bytes.get(index);
      case I16:
        return bytes.getShort(2 * index);
      case U16:
        return Short.toUnsignedLong(bytes.getShort(2 * index));
      case I32:
        return bytes.getInt(4 * index);
      case U32:
        return Integer.toUnsignedLong(bytes.getInt(4 * index));
      case I64:
      case U64:
        return bytes.getLong(8 * index);
      default:
        throw new AssertionError(dtype);
    }
  }

  /**
   * This tensor converted to the floating-point type {@code target} ({@link DType#F16}, {@link
   * DType#BF16} or {@link DType#F32}), rounding to nearest, ties to even (see {@link
   * HalfPrecision}); {@link DType#F64} values are first rounded to {@code float}. Returns this
   * tensor when it already has that type.
   *
   * @param target {@link DType#F16}, {@link DType#BF16} or {@link DType#F32}
   * @return the converted tensor, same name and shape
   * @throws IllegalArgumentException if {@code target} is not one of those three types
   * @throws IllegalStateException if this tensor's type is not floating point
   */
  public Tensor toFloatType(DType target) {
    checkArgument(
        target == DType.F16 || target == DType.BF16 || target == DType.F32,
        "tensor %s: cannot convert to %s, only to F16, BF16 or F32",
        name,
        target);
    if (target == dtype) {
      return this;
    }
    float[] values = toFloatArray();
    ByteBuffer converted = allocate(values.length, target);
    for (int i = 0; i < values.length; i++) {
      switch (target) {
        case F32:
          converted.putFloat(4 * i, values[i]);
          break;
        case F16:
          converted.putShort(2 * i, HalfPrecision.floatToF16Bits(values[i]));
          break;
        case BF16:
          converted.putShort(2 * i, HalfPrecision.floatToBf16Bits(values[i]));
          break;
        default:
          throw new AssertionError(target);
      }
    }
    return new Tensor(name, target, shape, converted.asReadOnlyBuffer());
  }

  /**
   * The transpose of this rank-2 tensor: shape {@code [a, b]} becomes {@code [b, a]} with element
   * {@code (i, j)} moved to {@code (j, i)}. The data is copied.
   *
   * @return the transposed tensor, same name and type
   * @throws IllegalStateException if the rank is not 2
   */
  public Tensor transposed() {
    checkState(
        shape.length == 2,
        "tensor %s: transpose needs rank 2, shape is %s",
        name,
        Arrays.toString(shape));
    int rows = Math.toIntExact(shape[0]);
    int columns = Math.toIntExact(shape[1]);
    int elementSize = dtype.byteSize();
    ByteBuffer source = data();
    ByteBuffer target = allocate(checkedArrayLength(), dtype);
    for (int row = 0; row < rows; row++) {
      for (int column = 0; column < columns; column++) {
        int from = (row * columns + column) * elementSize;
        int to = (column * rows + row) * elementSize;
        copyElement(source, from, target, to, elementSize);
      }
    }
    return new Tensor(name, dtype, new long[] {shape[1], shape[0]}, target.asReadOnlyBuffer());
  }

  private static void copyElement(
      ByteBuffer source, int from, ByteBuffer target, int to, int elementSize) {
    switch (elementSize) {
      case 1:
        target.put(to, source.get(from));
        break;
      case 2:
        target.putShort(to, source.getShort(from));
        break;
      case 4:
        target.putInt(to, source.getInt(from));
        break;
      case 8:
        target.putLong(to, source.getLong(from));
        break;
      default:
        throw new AssertionError(elementSize);
    }
  }

  private int checkedArrayLength() {
    long count = elementCount();
    checkState(
        count <= Integer.MAX_VALUE - 8,
        "tensor %s has %s elements, too many for a Java array",
        name,
        count);
    return (int) count;
  }

  private static ByteBuffer allocate(int elements, DType dtype) {
    return ByteBuffer.allocate(Math.multiplyExact(elements, dtype.byteSize()))
        .order(ByteOrder.LITTLE_ENDIAN);
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof Tensor)) {
      return false;
    }
    Tensor that = (Tensor) other;
    return name.equals(that.name)
        && dtype == that.dtype
        && Arrays.equals(shape, that.shape)
        && data.equals(that.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dtype, Arrays.hashCode(shape));
  }

  /** Name, type and shape, e.g. {@code embeddings.word_embeddings.weight F32[30522, 384]}. */
  @Override
  public String toString() {
    return name + " " + dtype + Arrays.toString(shape);
  }
}
