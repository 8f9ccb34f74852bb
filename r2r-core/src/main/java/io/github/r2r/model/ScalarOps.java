package io.github.r2r.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant that is safe where autograd records it: use these instead of DJL's
 * {@code x.mul(2f)}, {@code x.div(2f)} and {@code x.maximum(0f)} in anything a gradient flows through
 * (encoder and decoder training forwards, losses).
 *
 * <p>Why: DJL's PyTorch engine turns the constant into a tensor over Java-owned direct memory and
 * closes that tensor right after the op, which lets the garbage collector free the memory. Autograd
 * keeps the tensor for the backward pass (the derivative of {@code x * c} is {@code c}; of {@code max(x, c)}
 * needs {@code c}), so a collection between forward and backward left the backward reading freed
 * memory: training steps then got gradient norms like 3e31 and runs that should be identical differed
 * (ResumeTest failed about one run in twenty; {@code GarbageCollectionDuringTrainingTest} forces it).
 * Here the constant is made by libtorch ({@code torch.full}), so autograd's own reference keeps it
 * alive. Outside autograd (inference, optimizer updates) DJL's forms are safe.
 */
public final class ScalarOps {
  private ScalarOps() {}

  /**
   * {@code x * c}.
   *
   * @param x the array
   * @param c the factor
   * @return a new array in {@code x}'s manager
   */
  public static NDArray times(NDArray x, float c) {
    try (NDArray constant = constantLike(x, c)) {
      return x.mul(constant);
    }
  }

  /**
   * {@code x / c}.
   *
   * @param x the array
   * @param c the divisor
   * @return a new array in {@code x}'s manager
   */
  public static NDArray dividedBy(NDArray x, float c) {
    try (NDArray constant = constantLike(x, c)) {
      return x.div(constant);
    }
  }

  /**
   * Element-wise {@code max(x, c)}.
   *
   * @param x the array
   * @param c the lower bound
   * @return a new array in {@code x}'s manager
   */
  public static NDArray atLeast(NDArray x, float c) {
    try (NDArray constant = constantLike(x, c)) {
      return x.maximum(constant);
    }
  }

  /** A 0-dimensional tensor holding {@code c} in libtorch-owned memory: {@code x}'s type, its manager's device. */
  private static NDArray constantLike(NDArray x, float c) {
    return x.getManager().full(new Shape(), c, x.getDataType());
  }
}
