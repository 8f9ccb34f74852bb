package io.github.r2r.examples;

/**
 * The user asked for the usage ({@code --help} or {@code -h}). Thrown rather than printed and exited where it
 * is found, so that a program stops before doing any work and tests can call it without ending the JVM;
 * {@link CommandLine#runMain} prints the usage.
 */
final class HelpRequestedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  HelpRequestedException() {
    super("usage requested", null, false, false);
  }
}
