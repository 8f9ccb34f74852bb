package io.github.r2r.training.train.loss;

import static com.google.common.base.Preconditions.checkNotNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Checks on computed loss values before a trainer back-propagates them. */
public final class LossChecks {
  private LossChecks() {}

  /**
   * Returns {@code loss} unchanged if every element is finite.
   *
   * @param loss the loss value (any shape)
   * @param name the loss's name, for the message
   * @return {@code loss}
   * @throws NullPointerException if {@code loss} or {@code name} is null
   * @throws NonFiniteLossException naming {@code name} and the offending value (or, for a
   *     non-scalar, how many elements are not finite)
   */
  public static NDArray requireFinite(NDArray loss, String name) {
    checkNotNull(loss, "loss");
    checkNotNull(name, "name");
    NDArray nonFinite = loss.isNaN().logicalOr(loss.isInfinite());
    if (!nonFinite.any().getBoolean()) {
      return loss;
    }
    String detail =
        loss.getShape().size() == 1
            ? String.valueOf(loss.toType(DataType.FLOAT32, false).getFloat())
            : nonFinite.countNonzero().getLong()
                + " of "
                + loss.getShape().size()
                + " elements are not finite";
    throw new NonFiniteLossException(name, "loss " + name + " is not finite: " + detail);
  }
}
