package io.github.r2r.training.teacher;

/**
 * A list of passages could not be judged: the server kept failing, or the model kept answering in a
 * form that cannot be used safely. Other lists may still succeed. Messages never contain the API
 * key.
 */
public class TeacherException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TeacherException(String message) {
    super(message);
  }

  public TeacherException(String message, Throwable cause) {
    super(message, cause);
  }
}
