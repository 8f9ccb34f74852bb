package io.github.r2r.training.train;

import static com.google.common.base.Preconditions.checkArgument;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import java.util.Optional;

/**
 * The weight of an {@link AuxiliaryTask}'s loss in the total: fixed, or learnable as in
 * Reason-to-Rank ({@code sigmoid(w)}, {@code w} a scalar trained with the model). As with {@link
 * io.github.r2r.training.train.loss.WeightedSumLoss}, plain gradient descent on a learnable weight of
 * a positive loss lowers it; the trainer updates it with {@code lossWeightLearningRate}.
 */
public final class TaskWeight {
  private final float fixed;
  private final NDArray logit;

  private TaskWeight(float fixed, NDArray logit) {
    this.fixed = fixed;
    this.logit = logit;
  }

  /**
   * A weight that stays as given.
   *
   * @param weight the weight, finite and non-negative
   * @return the task weight
   * @throws IllegalArgumentException if {@code weight} is negative or not finite
   */
  public static TaskWeight fixed(float weight) {
    checkArgument(Float.isFinite(weight) && weight >= 0, "task weight must be finite and non-negative, got %s", weight);
    return new TaskWeight(weight, null);
  }

  /**
   * A weight {@code sigmoid(w)} whose logit {@code w} trains with the run.
   *
   * @param initial the starting effective weight, in (0, 1)
   * @param manager holds the logit; must outlive training
   * @return the task weight
   * @throws IllegalArgumentException if {@code initial} is not in (0, 1)
   */
  public static TaskWeight learnable(float initial, NDManager manager) {
    checkArgument(initial > 0 && initial < 1, "a learnable task weight starts in (0, 1), got %s", initial);
    NDArray logit = manager.create((float) Math.log(initial / (1 - initial)));
    logit.setRequiresGradient(true);
    return new TaskWeight(Float.NaN, logit);
  }

  /** The weight as a scalar on {@code scope} (attached to the logit's gradient when learnable). */
  NDArray value(NDManager scope) {
    return logit == null ? scope.create(fixed) : Activation.sigmoid(scope.create(0f).add(logit));
  }

  /** The learnable logit, if any. */
  Optional<NDArray> logit() {
    return Optional.ofNullable(logit);
  }

  /** {@return the current effective weight: the fixed weight, or {@code sigmoid(w)}} */
  public float current() {
    return logit == null ? fixed : (float) (1 / (1 + Math.exp(-logit.getFloat())));
  }

  @Override
  public String toString() {
    return logit == null ? String.valueOf(fixed) : "sigmoid(w) = " + current();
  }
}
