package io.github.r2r.training.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/**
 * Tensor arithmetic that keeps padded list entries out of a loss exactly: padded values are
 * replaced (not multiplied by zero, which would turn a padded NaN into a NaN loss) before they meet
 * any arithmetic, and means divide by the number of real terms.
 */
final class MaskedOps {
  private MaskedOps() {}

  /**
   * {@code values} where {@code valid} is true and {@code fill} elsewhere; gradient reaches only
   * the kept entries.
   */
  static NDArray replacePadded(NDArray values, NDArray valid, float fill) {
    return NDArrays.where(valid, values, values.getManager().full(values.getShape(), fill));
  }

  /** {@code [lists, n, n]} array of {@code x[l, i] - x[l, j]}. */
  static NDArray pairwiseDifferences(NDArray x) {
    return x.expandDims(2).sub(x.expandDims(1));
  }

  /**
   * {@code [lists, n, n]} float array, 1 where entries {@code i != j} are both real. {@code mask}
   * is the {@code FLOAT32} validity mask.
   */
  static NDArray realPairs(NDArray mask) {
    int n = Math.toIntExact(mask.getShape().get(1));
    NDArray distinct = mask.getManager().eye(n).neg().add(1f);
    return mask.expandDims(2).mul(mask.expandDims(1)).mul(distinct);
  }

  /**
   * Weighted mean {@code sum(terms * weights) / sum(weights)} over all axes, or exactly 0 when the
   * weights sum to 0. Weights are 0/1, so the terms at zero weight must already be finite.
   */
  static NDArray weightedMean(NDArray terms, NDArray weights) {
    return terms.mul(weights).sum().div(weights.sum().maximum(1f));
  }
}
