package io.github.r2r.training.train;

import static com.google.common.base.Preconditions.checkArgument;

import io.github.r2r.model.io.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Interpolates a fine-tuned model's weights with those of the model it was fine-tuned from:
 * {@code θ = (1 − α)·θ_start + α·θ_tuned}, tensor by tensor (WiSE-FT, Wortsman et al. 2022, "Robust
 * fine-tuning of zero-shot models").
 *
 * <p>Why: a student fine-tuned on a few dozen labelled queries learns those queries' benchmark as much
 * as relevance, and its gain on the held-out queries of that benchmark does not carry to another one
 * (docs/student.md). Moving back part of the way to the pretrained weights keeps most of what
 * fine-tuning added on the way while staying close to the weights that were trained on a large and
 * varied corpus; α = 0.5 is the paper's choice when no out-of-distribution data is at hand to tune it.
 *
 * <p>Both models must have the same tensors (names, shapes); the result is float32. Frozen layers,
 * equal in both, come out unchanged.
 */
public final class WeightInterpolation {
  private WeightInterpolation() {}

  /**
   * {@code (1 − alpha)·start + alpha·tuned} for every tensor, in {@code tuned}'s order.
   *
   * @param start the weights before fine-tuning
   * @param tuned the fine-tuned weights
   * @param alpha 0 gives {@code start}, 1 gives {@code tuned}; must lie in [0, 1]
   * @return the interpolated float32 tensors, by name
   * @throws IllegalArgumentException when a map is null, alpha is outside [0, 1] or not a number, when the two maps
   *     do not hold the same tensor names, or when a tensor's shape differs or is not floating point
   */
  public static Map<String, Tensor> interpolate(
      Map<String, Tensor> start, Map<String, Tensor> tuned, double alpha) {
    checkArgument(start != null && tuned != null, "weights are null");
    checkArgument(alpha >= 0 && alpha <= 1, "alpha must lie in [0, 1], got %s", alpha);
    if (!start.keySet().equals(tuned.keySet())) {
      throw new IllegalArgumentException(
          "the two models do not have the same tensors: only in the start model "
              + difference(start.keySet(), tuned.keySet())
              + ", only in the tuned model "
              + difference(tuned.keySet(), start.keySet()));
    }
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> entry : tuned.entrySet()) {
      String name = entry.getKey();
      Tensor a = start.get(name);
      Tensor b = entry.getValue();
      checkArgument(
          Arrays.equals(a.shape(), b.shape()),
          "tensor %s: shape %s in the start model, %s in the tuned model",
          name,
          Arrays.toString(a.shape()),
          Arrays.toString(b.shape()));
      checkArgument(
          a.dtype().isFloatingPoint() && b.dtype().isFloatingPoint(),
          "tensor %s: only floating-point weights can be interpolated (%s, %s)",
          name,
          a.dtype(),
          b.dtype());
      float[] x = a.toFloatArray();
      float[] y = b.toFloatArray();
      float[] mixed = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        // In double, so that alpha 0 and 1 return the endpoints exactly.
        mixed[i] = (float) ((1 - alpha) * x[i] + alpha * y[i]);
      }
      out.put(name, Tensor.ofFloats(name, b.shape(), mixed));
    }
    return out;
  }

  private static Set<String> difference(Set<String> a, Set<String> b) {
    Set<String> only = new java.util.TreeSet<>(a);
    only.removeAll(b);
    return only;
  }
}
