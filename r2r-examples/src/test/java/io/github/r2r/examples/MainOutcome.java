package io.github.r2r.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What a program's {@code main} prints on stdout and stderr and the exit status it ends with, found through
 * {@link CommandLine#exitStatus} so that a test never exits the JVM.
 */
record MainOutcome(int status, String out, String err) {
  static <E extends Exception> MainOutcome of(String usage, CommandLine.Program<E> program, String... args)
      throws E {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = CommandLine.exitStatus(usage, args, program,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new MainOutcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The outcome of {@code --help}: the usage on stdout, nothing on stderr, success. */
  static MainOutcome usagePrinted(String usage) {
    return new MainOutcome(0, usage.stripTrailing() + System.lineSeparator(), "");
  }
}
