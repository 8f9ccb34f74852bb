package io.github.r2r.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import io.github.r2r.model.HfBlock;
import java.util.LinkedHashMap;
import java.util.Map;

/** Gradient bookkeeping shared by the trainers: the global norm, finding non-finite entries, zeroing. */
final class Gradients {
  private static final NDIndex ALL = new NDIndex("...");

  private Gradients() {}

  /** The gradients of the trainable parameters by name, attached to {@code scope}. */
  static Map<String, NDArray> collect(Map<String, HfBlock.WeightSlot> trainable, NDManager scope) {
    Map<String, NDArray> gradients = new LinkedHashMap<>();
    for (Map.Entry<String, HfBlock.WeightSlot> e : trainable.entrySet()) {
      NDArray gradient = e.getValue().parameter().getArray().getGradient();
      gradient.attach(scope);
      gradients.put(e.getKey(), gradient);
    }
    return gradients;
  }

  /**
   * Scales the gradients down to global norm {@code maxNorm} when {@code norm} (theirs, finite) is
   * larger, and applies one AdamW step with weight decay on weights only (not biases or LayerNorm).
   *
   * @return the norm as a float
   */
  static float clipAndStep(
      Map<String, HfBlock.WeightSlot> trainable,
      Map<String, NDArray> gradients,
      double norm,
      float maxNorm,
      AdamW optimizer,
      float learningRate) {
    return clipAndStep(trainable, gradients, norm, maxNorm, optimizer, learningRate, Map.of());
  }

  /** As above, with the learning rate of some parameters multiplied by {@code learningRateScale.get(name)}. */
  static float clipAndStep(
      Map<String, HfBlock.WeightSlot> trainable,
      Map<String, NDArray> gradients,
      double norm,
      float maxNorm,
      AdamW optimizer,
      float learningRate,
      Map<String, Float> learningRateScale) {
    float narrow = (float) Math.min(norm, Float.MAX_VALUE);
    float clip = narrow > maxNorm ? maxNorm / narrow : 1f;
    optimizer.beginStep();
    for (Map.Entry<String, HfBlock.WeightSlot> e : trainable.entrySet()) {
      NDArray gradient = gradients.get(e.getKey());
      if (clip < 1f) {
        gradient.muli(clip);
      }
      HfBlock.WeightSlot slot = e.getValue();
      boolean decay = slot.type() == Parameter.Type.WEIGHT;
      float rate = learningRate * learningRateScale.getOrDefault(e.getKey(), 1f);
      optimizer.update(e.getKey(), slot.parameter().getArray(), gradient, rate, decay);
    }
    return narrow;
  }

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
