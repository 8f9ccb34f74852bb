package io.github.r2r.training.teacher;

/**
 * No call to this teacher can succeed until the user changes something: the server refused the
 * credentials (401/403), does not know the URL or model (404), or cannot be reached at all. A run
 * stops at the first one instead of retrying or moving on to the next query.
 */
public class FatalTeacherException extends TeacherException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with the given message.
   *
   * @param message what went wrong, without the API key
   */
  public FatalTeacherException(String message) {
    super(message);
  }

  /**
   * An exception with the given message and cause.
   *
   * @param message what went wrong, without the API key
   * @param cause the underlying failure
   */
  public FatalTeacherException(String message, Throwable cause) {
    super(message, cause);
  }
}
