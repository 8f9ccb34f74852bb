package io.github.r2r.training.train;

/**
 * Training stopped because too many consecutive steps had a non-finite loss or gradient (see
 * {@link TrainerConfig#maxConsecutiveSkips}); the message says where and what to change.
 */
public final class TrainingDivergedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with the given message.
   *
   * @param message where the run diverged and what to change
   */
  public TrainingDivergedException(String message) {
    super(message);
  }
}
