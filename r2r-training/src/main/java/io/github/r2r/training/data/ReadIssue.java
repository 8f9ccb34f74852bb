package io.github.r2r.training.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A row (or entry) a reader skipped, with where it is and why.
 *
 * @param file the file holding it
 * @param line its 1-based line, or empty when the problem is not tied to one line
 * @param kind the kind of problem
 * @param problem what is wrong, for a person to read
 */
public record ReadIssue(Path file, OptionalLong line, Kind kind, String problem) {
  /**
   * The kinds of problems, which readers can treat differently (see {@link MalformedRowPolicy}).
   */
  public enum Kind {
    /** Invalid JSON, a missing or mistyped field, or content that contradicts itself. */
    MALFORMED_ROW,
    /** A teacher ranking that is missing, not a permutation, or contradicts {@code re_rank_id}. */
    BROKEN_PERMUTATION
  }

  /**
   * Checks the components.
   *
   * @param file the file holding it
   * @param line its 1-based line, or empty when the problem is not tied to one line
   * @param kind the kind of problem
   * @param problem what is wrong, for a person to read
   * @throws NullPointerException if a component is null
   * @throws IllegalArgumentException if {@code line} is present and less than 1
   */
  public ReadIssue {
    checkNotNull(file, "file");
    checkNotNull(line, "line");
    line.ifPresent(l -> checkArgument(l >= 1, "line numbers start at 1, got %s", l));
    checkNotNull(kind, "kind");
    checkNotNull(problem, "problem");
  }

  /** {@code file:line: problem}, as a compiler would print it. */
  @Override
  public String toString() {
    return file + (line.isPresent() ? ":" + line.getAsLong() : "") + ": " + problem;
  }
}
