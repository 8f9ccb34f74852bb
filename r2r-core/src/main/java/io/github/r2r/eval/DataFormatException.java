package io.github.r2r.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A data file does not have the expected format. The message always starts with the file and, when
 * the problem belongs to one line, its 1-based line number ({@code qrels.txt:17: ...}), so a user
 * can open the file at the right place.
 */
public final class DataFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final Path file;
  private final long line;
  private final String problem;

  private DataFormatException(Path file, long line, String problem, Throwable cause) {
    super(location(file, line) + ": " + problem, cause);
    this.file = file;
    this.line = line;
    this.problem = problem;
  }

  /**
   * A problem on one line.
   *
   * @param file the file with the problem
   * @param line the 1-based line number
   * @param problem what is wrong, without the location
   * @return the exception, its message {@code file:line: problem}
   * @throws NullPointerException if {@code file} or {@code problem} is null
   * @throws IllegalArgumentException if {@code line} is less than 1
   */
  public static DataFormatException atLine(Path file, long line, String problem) {
    return atLine(file, line, problem, null);
  }

  /**
   * A problem on one line, caused by a parser error.
   *
   * @param file the file with the problem
   * @param line the 1-based line number
   * @param problem what is wrong, without the location
   * @param cause the parser's exception, or null
   * @return the exception, its message {@code file:line: problem}
   * @throws NullPointerException if {@code file} or {@code problem} is null
   * @throws IllegalArgumentException if {@code line} is less than 1
   */
  public static DataFormatException atLine(Path file, long line, String problem, Throwable cause) {
    checkNotNull(file, "file");
    checkArgument(line >= 1, "line numbers start at 1, got %s", line);
    checkNotNull(problem, "problem");
    return new DataFormatException(file, line, problem, cause);
  }

  /**
   * A problem of the file as a whole (for example a missing entry), not of one line.
   *
   * @param file the file with the problem
   * @param problem what is wrong, without the location
   * @return the exception, its message {@code file: problem}
   * @throws NullPointerException if {@code file} or {@code problem} is null
   */
  public static DataFormatException inFile(Path file, String problem) {
    checkNotNull(file, "file");
    checkNotNull(problem, "problem");
    return new DataFormatException(file, 0, problem, null);
  }

  /** {@return the file with the problem} */
  public Path file() {
    return file;
  }

  /** {@return the 1-based line of the problem, or empty when it is not tied to one line} */
  public OptionalLong line() {
    return line == 0 ? OptionalLong.empty() : OptionalLong.of(line);
  }

  /** {@return the problem alone, without the location prefix} */
  public String problem() {
    return problem;
  }

  private static String location(Path file, long line) {
    return line == 0 ? file.toString() : file + ":" + line;
  }
}
