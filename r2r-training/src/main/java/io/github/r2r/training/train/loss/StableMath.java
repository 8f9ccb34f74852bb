package io.github.r2r.training.train.loss;

import ai.djl.ndarray.NDArray;
import io.github.r2r.model.ScalarOps;

/** Overflow-free forms of the log-sigmoid family used by the pairwise and pointwise losses. */
final class StableMath {
  private StableMath() {}

  /**
   * Binary cross-entropy of logits {@code x} against targets {@code y} in [0, 1], elementwise:
   * {@code max(x, 0) - x * y + log(1 + exp(-|x|))}. The exponent is never positive, so no term
   * overflows for any finite logit.
   */
  static NDArray binaryCrossEntropyWithLogits(NDArray x, NDArray y) {
    return ScalarOps.atLeast(x, 0f).sub(x.mul(y)).add(x.abs().neg().exp().add(1f).log());
  }

  /** {@code log(1 + exp(z))} elementwise, in the same overflow-free form. */
  static NDArray softplus(NDArray z) {
    return ScalarOps.atLeast(z, 0f).add(z.abs().neg().exp().add(1f).log());
  }
}
