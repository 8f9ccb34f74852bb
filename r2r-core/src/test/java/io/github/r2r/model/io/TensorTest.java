package io.github.r2r.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

class TensorTest {

  private static ByteBuffer bytes(int... values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length);
    for (int value : values) {
      buffer.put((byte) value);
    }
    return buffer.flip();
  }

  @Test
  void ofFloatsStoresLittleEndianF32() {
    Tensor tensor = Tensor.ofFloats("w", new long[] {2}, new float[] {1f, -2f});
    assertEquals(DType.F32, tensor.dtype());
    assertEquals(8, tensor.byteSize());
    ByteBuffer data = tensor.data();
    byte[] raw = new byte[8];
    data.get(raw);
    // 1.0f = 0x3F800000, -2.0f = 0xC0000000, least significant byte first.
    assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3F, 0, 0, 0, (byte) 0xC0}, raw);
  }

  @Test
  void scalarAndZeroSizedShapesAreAllowed() {
    Tensor scalar = Tensor.ofFloats("s", new long[0], new float[] {7f});
    assertEquals(0, scalar.rank());
    assertEquals(1, scalar.elementCount());
    Tensor empty = Tensor.ofLongs("e", new long[] {3, 0}, new long[0]);
    assertEquals(0, empty.elementCount());
    assertEquals(0, empty.byteSize());
  }

  @Test
  void dataLengthMustMatchShape() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Tensor.ofFloats("layer.weight", new long[] {2, 3}, new float[5]));
    assertEquals(
        "tensor layer.weight: 20 bytes of data, but shape [2, 3] of F32 needs 24", e.getMessage());
  }

  @Test
  void negativeDimensionIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Tensor.of("t", DType.I8, new long[] {-1}, ByteBuffer.allocate(0)));
    assertTrue(e.getMessage().contains("negative dimension in shape [-1]"), e.getMessage());
  }

  @Test
  void dataViewIsReadOnlyAndShapeIsCopied() {
    long[] shape = {2};
    Tensor tensor = Tensor.ofFloats("w", shape, new float[] {1f, 2f});
    shape[0] = 99;
    assertArrayEquals(new long[] {2}, tensor.shape());
    tensor.shape()[0] = 99;
    assertArrayEquals(new long[] {2}, tensor.shape());
    assertThrows(ReadOnlyBufferException.class, () -> tensor.data().putFloat(0, 5f));
  }

  @Test
  void f16AndBf16BytesWidenToFloats() {
    // binary16 0x3C00 = 1.0, 0xC000 = -2.0, 0x0001 = 2^-24; little-endian.
    Tensor f16 =
        Tensor.of("h", DType.F16, new long[] {3}, bytes(0x00, 0x3C, 0x00, 0xC0, 0x01, 0x00));
    assertArrayEquals(new float[] {1f, -2f, 0x1p-24f}, f16.toFloatArray());
    // bfloat16 0x3F80 = 1.0, 0x4049 = 3.140625.
    Tensor bf16 = Tensor.of("b", DType.BF16, new long[] {2}, bytes(0x80, 0x3F, 0x49, 0x40));
    assertArrayEquals(new float[] {1f, 3.140625f}, bf16.toFloatArray());
  }

  @Test
  void integerTypesWidenToLongs() {
    Tensor i64 = Tensor.ofLongs("ids", new long[] {2}, new long[] {-5, 1L << 40});
    assertArrayEquals(new long[] {-5, 1L << 40}, i64.toLongArray());
    Tensor u8 = Tensor.of("u", DType.U8, new long[] {2}, bytes(0xFF, 0x01));
    assertArrayEquals(new long[] {255, 1}, u8.toLongArray());
    Tensor i16 = Tensor.of("s", DType.I16, new long[] {1}, bytes(0xFE, 0xFF));
    assertArrayEquals(new long[] {-2}, i16.toLongArray());
  }

  @Test
  void conversionToTheWrongKindNamesTheTensor() {
    Tensor ids = Tensor.ofLongs("position_ids", new long[] {1}, new long[] {0});
    IllegalStateException e = assertThrows(IllegalStateException.class, ids::toFloatArray);
    assertEquals("tensor position_ids has type I64, not a floating-point type", e.getMessage());
    Tensor weights = Tensor.ofFloats("w", new long[] {1}, new float[] {0});
    assertThrows(IllegalStateException.class, weights::toLongArray);
    assertThrows(IllegalArgumentException.class, () -> weights.toFloatType(DType.I32));
  }

  @Test
  void toFloatTypeRoundsToF16AndBack() {
    Tensor tensor =
        Tensor.ofFloats("w", new long[] {2, 2}, new float[] {1f, 0x1.002p0f, 0x1.006p0f, 70000f});
    Tensor half = tensor.toFloatType(DType.F16);
    assertEquals(DType.F16, half.dtype());
    assertArrayEquals(new long[] {2, 2}, half.shape());
    assertEquals(8, half.byteSize());
    ByteBuffer data = half.data();
    assertEquals(0x3C00, data.getShort(0) & 0xFFFF);
    assertEquals(0x3C00, data.getShort(2) & 0xFFFF); // tie to even
    assertEquals(0x3C02, data.getShort(4) & 0xFFFF); // tie to even
    assertEquals(0x7C00, data.getShort(6) & 0xFFFF); // overflow to infinity
    assertArrayEquals(
        new float[] {1f, 1f, 0x1.008p0f, Float.POSITIVE_INFINITY},
        half.toFloatType(DType.F32).toFloatArray());
    assertSame(tensor, tensor.toFloatType(DType.F32));
  }

  @Test
  void transposedSwapsRowsAndColumns() {
    Tensor matrix = Tensor.ofFloats("m", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});
    Tensor transposed = matrix.transposed();
    assertArrayEquals(new long[] {3, 2}, transposed.shape());
    assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, transposed.toFloatArray());
    assertEquals("m", transposed.name());

    Tensor halves = Tensor.of("h", DType.F16, new long[] {1, 2}, bytes(0x00, 0x3C, 0x00, 0xC0));
    assertArrayEquals(new float[] {1f, -2f}, halves.transposed().toFloatArray());
    assertArrayEquals(new long[] {2, 1}, halves.transposed().shape());

    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> Tensor.ofFloats("v", new long[] {3}, new float[3]).transposed());
    assertEquals("tensor v: transpose needs rank 2, shape is [3]", e.getMessage());
  }

  @Test
  void equalityCoversNameTypeShapeAndBytes() {
    Tensor a = Tensor.ofFloats("a", new long[] {2}, new float[] {1, 2});
    assertEquals(a, Tensor.ofFloats("a", new long[] {2}, new float[] {1, 2}));
    assertEquals(a.hashCode(), Tensor.ofFloats("a", new long[] {2}, new float[] {1, 2}).hashCode());
    assertNotEquals(a, a.withName("b"));
    assertNotEquals(a, Tensor.ofFloats("a", new long[] {1, 2}, new float[] {1, 2}));
    assertNotEquals(a, Tensor.ofFloats("a", new long[] {2}, new float[] {1, 3}));
    assertNotEquals(a, Tensor.ofInts("a", new long[] {2}, new int[] {0x3F800000, 0x40000000}));
    assertFalse(a.equals(null));
    assertEquals("a F32[2]", a.toString());
  }

  @Test
  void ofSharesTheCallersBufferFromItsPosition() {
    ByteBuffer buffer = ByteBuffer.allocate(12).order(ByteOrder.BIG_ENDIAN);
    buffer.putInt(0xDEADBEEF);
    buffer.order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-1f);
    buffer.position(4);
    Tensor tensor = Tensor.of("t", DType.F32, new long[] {2}, buffer);
    assertArrayEquals(new float[] {1.5f, -1f}, tensor.toFloatArray());
  }
}
