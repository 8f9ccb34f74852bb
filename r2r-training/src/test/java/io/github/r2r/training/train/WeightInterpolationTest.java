package io.github.r2r.training.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.r2r.model.io.DType;
import io.github.r2r.model.io.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class WeightInterpolationTest {
  private static Map<String, Tensor> weights(float[] w, float[] b) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("layer.weight", Tensor.ofFloats("layer.weight", new long[] {2, 2}, w));
    m.put("layer.bias", Tensor.ofFloats("layer.bias", new long[] {2}, b));
    return m;
  }

  @Test
  void mixesEveryTensorByAlpha() {
    Map<String, Tensor> start = weights(new float[] {0, 1, 2, 3}, new float[] {10, -10});
    Map<String, Tensor> tuned = weights(new float[] {4, 1, 0, 7}, new float[] {20, -30});
    Map<String, Tensor> mixed = WeightInterpolation.interpolate(start, tuned, 0.25);
    // 0.75 * start + 0.25 * tuned, by hand:
    assertArrayEquals(new float[] {1, 1, 1.5f, 4}, mixed.get("layer.weight").toFloatArray());
    assertArrayEquals(new float[] {12.5f, -15}, mixed.get("layer.bias").toFloatArray());
    assertArrayEquals(new long[] {2, 2}, mixed.get("layer.weight").shape());
    assertEquals(List.of("layer.weight", "layer.bias"), List.copyOf(mixed.keySet()));
    assertEquals(DType.F32, mixed.get("layer.bias").dtype());
  }

  @Test
  void readsHalfPrecisionWeights() {
    Map<String, Tensor> start = weights(new float[] {0, 1, 2, 3}, new float[] {10, -10});
    Map<String, Tensor> tuned = new LinkedHashMap<>();
    weights(new float[] {2, 3, 4, 5}, new float[] {12, -8}).forEach((k, v) -> tuned.put(k, v.toFloatType(DType.F16)));
    Map<String, Tensor> mixed = WeightInterpolation.interpolate(start, tuned, 0.5);
    assertArrayEquals(new float[] {1, 2, 3, 4}, mixed.get("layer.weight").toFloatArray());
    assertArrayEquals(new float[] {11, -9}, mixed.get("layer.bias").toFloatArray());
  }

  @Property(tries = 50)
  void theEndpointsComeBackExactlyAndTheMixLiesBetween(
      @ForAll float a, @ForAll float b, @ForAll @DoubleRange(min = 0, max = 1) double alpha) {
    if (!Float.isFinite(a) || !Float.isFinite(b) || Math.abs(a) > 1e30 || Math.abs(b) > 1e30) {
      return;
    }
    Map<String, Tensor> start = weights(new float[] {a, b, a, b}, new float[] {a, b});
    Map<String, Tensor> tuned = weights(new float[] {b, a, a, b}, new float[] {b, a});
    assertEquals(start, WeightInterpolation.interpolate(start, tuned, 0));
    assertEquals(tuned, WeightInterpolation.interpolate(start, tuned, 1));
    float[] mixed = WeightInterpolation.interpolate(start, tuned, alpha).get("layer.weight").toFloatArray();
    assertTrue(mixed[0] >= Math.min(a, b) && mixed[0] <= Math.max(a, b), mixed[0] + " not between " + a + " and " + b);
    assertEquals(a, mixed[2]);
  }

  @Test
  void mismatchedModelsAndBadAlphasAreRejectedWithTheReason() {
    Map<String, Tensor> start = weights(new float[] {0, 1, 2, 3}, new float[] {10, -10});
    Map<String, Tensor> other = new LinkedHashMap<>(start);
    other.remove("layer.bias");
    other.put("head.bias", Tensor.ofFloats("head.bias", new long[] {2}, new float[] {1, 2}));
    IllegalArgumentException names =
        assertThrows(IllegalArgumentException.class, () -> WeightInterpolation.interpolate(start, other, 0.5));
    assertTrue(names.getMessage().contains("[layer.bias]") && names.getMessage().contains("[head.bias]"),
        names.getMessage());

    Map<String, Tensor> reshaped = new LinkedHashMap<>(start);
    reshaped.put("layer.weight", Tensor.ofFloats("layer.weight", new long[] {4}, new float[] {0, 1, 2, 3}));
    IllegalArgumentException shape =
        assertThrows(IllegalArgumentException.class, () -> WeightInterpolation.interpolate(start, reshaped, 0.5));
    assertTrue(shape.getMessage().contains("layer.weight") && shape.getMessage().contains("[2, 2]"),
        shape.getMessage());

    Map<String, Tensor> integers = new LinkedHashMap<>(start);
    integers.put("layer.bias", Tensor.ofLongs("layer.bias", new long[] {2}, new long[] {1, 2}));
    assertThrows(IllegalArgumentException.class, () -> WeightInterpolation.interpolate(start, integers, 0.5));

    for (double alpha : new double[] {-0.1, 1.5, Double.NaN}) {
      IllegalArgumentException bad =
          assertThrows(IllegalArgumentException.class, () -> WeightInterpolation.interpolate(start, start, alpha));
      assertTrue(bad.getMessage().contains("alpha"), bad.getMessage());
    }
  }
}
