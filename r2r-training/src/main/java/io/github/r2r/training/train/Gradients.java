package io.github.r2r.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.Map;

/** Gradient bookkeeping shared by the trainers: the global norm, finding non-finite entries, zeroing. */
final class Gradients {
  private static final NDIndex ALL = new NDIndex("...");

  private Gradients() {}

  /**
   * The global L2 norm, summed in float64: a float32 sum of squares overflows to infinity once one
   * gradient entry passes ~1.8e19, and a large but finite gradient should be clipped, not skipped.
   */
  static double globalNorm(Iterable<NDArray> gradients) {
    double sum = 0;
    for (NDArray g : gradients) {
      try (NDArray wide = g.toType(DataType.FLOAT64, true); // a copy: closing it must not close g
          NDArray squares = wide.square().sum()) {
        sum += squares.getDouble();
      }
    }
    return Math.sqrt(sum);
  }

  /** The name of the first parameter whose gradient has a NaN or infinite entry, if any. */
  static String firstNonFinite(Map<String, NDArray> gradients) {
    for (Map.Entry<String, NDArray> e : gradients.entrySet()) {
      try (NDArray bad = e.getValue().isNaN().logicalOr(e.getValue().isInfinite()).any()) {
        if (bad.getBoolean()) {
          return e.getKey();
        }
      }
    }
    return null;
  }

  /**
   * Overwrites every entry with 0. Multiplying by 0 is not enough: a NaN or infinite entry stays
   * NaN, and since the next backward pass accumulates onto this buffer, one bad step would make
   * every later step non-finite too (seen in a real run: all 88 steps after step 42 skipped).
   */
  static void zero(Iterable<NDArray> gradients) {
    for (NDArray g : gradients) {
      g.set(ALL, 0f);
    }
  }
}
