package io.github.r2r.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link BFloat16Product}: float32 in and out, the product in bfloat16. */
class BFloat16ProductTest {
  @Test
  void theProductIsFloat32TimesTheTransposeUpToBFloat16Rounding() {
    Random random = new Random(3);
    int out = 40;
    int in = 24;
    float[] w = new float[out * in];
    float[] x = new float[3 * 2 * in];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray weight = manager.create(w, new Shape(out, in));
      NDArray input = manager.create(x, new Shape(3, 2, in));
      try (BFloat16Product product = new BFloat16Product(weight)) {
        NDArray result = product.times(input);
        assertEquals(new Shape(3, 2, out), result.getShape());
        assertEquals(DataType.FLOAT32, result.getDataType());
        float[] low = result.toFloatArray();
        float[] exact = input.matMul(weight.transpose()).toFloatArray();
        boolean anyRounded = false;
        for (int i = 0; i < exact.length; i++) {
          // Each of the 24 terms carries two bfloat16 roundings (2^-8 relative each): bound by the
          // sum of the terms' magnitudes, about 24 * 1 * 1 here.
          assertEquals(exact[i], low[i], 0.25, "element " + i);
          anyRounded |= exact[i] != low[i];
        }
        // bfloat16 really was used: float32 would agree to the last bit, or nearly.
        assertTrue(anyRounded, "no element differs from float32");
        assertArrayEquals(low, product.times(input).toFloatArray(), "repeated products differ");
      }
      // The copy was taken: the product's scope is closed and the weight itself is untouched.
      assertArrayEquals(w, weight.toFloatArray());
    }
  }
  @Test
  void badShapesAndTypesAreRejectedByName() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray vector = manager.create(new float[] {1, 2, 3});
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BFloat16Product(vector));
      assertTrue(e.getMessage().startsWith("weight must be a float32 matrix [out, in]"), e.getMessage());
      NDArray ints = manager.create(new int[] {1, 2, 3, 4}, new Shape(2, 2));
      assertThrows(IllegalArgumentException.class, () -> new BFloat16Product(ints));
      try (BFloat16Product product = new BFloat16Product(manager.create(new float[6], new Shape(2, 3)))) {
        NDArray wrongWidth = manager.create(new float[4], new Shape(1, 4));
        e = assertThrows(IllegalArgumentException.class, () -> product.times(wrongWidth));
        assertTrue(e.getMessage().startsWith("x must be float32 [..., 3], got float32 (1, 4)"), e.getMessage());
      }
    }
  }
}
