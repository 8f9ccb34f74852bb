package io.github.r2r.training.data;

/** A row a reader cannot use, and why; the reader's policy decides whether it fails or skips. */
final class RejectedRow extends Exception {
  private static final long serialVersionUID = 1L;

  private final ReadIssue.Kind kind;

  RejectedRow(ReadIssue.Kind kind, String problem) {
    this(kind, problem, null);
  }

  RejectedRow(ReadIssue.Kind kind, String problem, Throwable cause) {
    super(problem, cause);
    this.kind = kind;
  }

  static RejectedRow malformed(String problem) {
    return new RejectedRow(ReadIssue.Kind.MALFORMED_ROW, problem);
  }

  static RejectedRow brokenPermutation(String problem) {
    return new RejectedRow(ReadIssue.Kind.BROKEN_PERMUTATION, problem);
  }

  ReadIssue.Kind kind() {
    return kind;
  }
}
