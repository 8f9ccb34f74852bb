package io.github.r2r.training.teacher;

/**
 * A list of passages could not be judged: the server kept failing, or the model kept answering in a
 * form that cannot be used safely. Other lists may still succeed. Messages never contain the API
 * key.
 */
public class TeacherException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with the given message.
   *
   * @param message what went wrong, without the API key
   */
  public TeacherException(String message) {
    super(message);
  }

  /**
   * An exception with the given message and cause.
   *
   * @param message what went wrong, without the API key
   * @param cause the underlying failure
   */
  public TeacherException(String message, Throwable cause) {
    super(message, cause);
  }
}
