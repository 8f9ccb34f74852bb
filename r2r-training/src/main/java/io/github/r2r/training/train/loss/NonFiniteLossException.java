package io.github.r2r.training.train.loss;

/**
 * Thrown when a computed loss is NaN or infinite. A trainer catches it to skip the step instead of
 * propagating non-finite gradients into the weights.
 */
public final class NonFiniteLossException extends ArithmeticException {
  private static final long serialVersionUID = 1L;

  private final String lossName;

  NonFiniteLossException(String lossName, String message) {
    super(message);
    this.lossName = lossName;
  }

  /** {@return the name of the loss that was not finite} */
  public String lossName() {
    return lossName;
  }
}
