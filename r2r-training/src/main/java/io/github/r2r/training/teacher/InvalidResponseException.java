package io.github.r2r.training.teacher;

/**
 * The model's answer cannot be used safely; the message says why in words that can be sent back to
 * the model when asking again.
 */
final class InvalidResponseException extends Exception {
  private static final long serialVersionUID = 1L;

  InvalidResponseException(String message) {
    super(message);
  }
}
