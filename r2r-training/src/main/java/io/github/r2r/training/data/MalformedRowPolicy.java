package io.github.r2r.training.data;

/** What a reader does with a row it cannot use. */
public enum MalformedRowPolicy {
  /** Stop reading with a {@link io.github.r2r.eval.DataFormatException} naming file and line. */
  FAIL,
  /** Skip the row and record it, with file and line, in the {@link ReadReport}. */
  SKIP_AND_REPORT
}
