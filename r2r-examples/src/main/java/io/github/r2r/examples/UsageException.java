package io.github.r2r.examples;

/**
 * The program's arguments are wrong; the message says what to change. {@link CommandLine#runMain} reports it
 * with the usage and exit status 2 instead of a stack trace. An {@link IllegalArgumentException}, since that is
 * what a wrong argument is to a caller that does not know the examples.
 */
final class UsageException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
