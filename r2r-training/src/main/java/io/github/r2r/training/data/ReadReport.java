package io.github.r2r.training.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a reader did: how many rows it read, how many queries it produced, and every row it skipped
 * with file, line and reason. Print {@link #summary()} (and {@link #issues()}) so skipped data is
 * never silent.
 */
public final class ReadReport {
  private static final int SUMMARY_ISSUES = 10;

  private final String source;
  private final long rowsRead;
  private final long queriesRead;
  private final ImmutableList<ReadIssue> issues;

  /**
   * A report.
   *
   * @param source what was read (a file or folder name)
   * @param rowsRead the data rows examined (blank lines are not rows)
   * @param queriesRead the {@link TrainingQuery} objects produced
   * @param issues the skipped rows or entries, in file order
   */
  public ReadReport(String source, long rowsRead, long queriesRead, List<ReadIssue> issues) {
    this.source = checkNotNull(source, "source");
    checkArgument(rowsRead >= 0, "rowsRead must not be negative, got %s", rowsRead);
    checkArgument(queriesRead >= 0, "queriesRead must not be negative, got %s", queriesRead);
    this.rowsRead = rowsRead;
    this.queriesRead = queriesRead;
    this.issues = ImmutableList.copyOf(issues);
  }

  /**
   * The reports of several reads as one: counts added, issues concatenated.
   *
   * @param reports the reports, at least one
   * @return the combined report (the report itself if there is one)
   * @throws IllegalArgumentException if {@code reports} is empty
   */
  public static ReadReport combine(List<ReadReport> reports) {
    checkArgument(!reports.isEmpty(), "no report to combine");
    if (reports.size() == 1) {
      return reports.get(0);
    }
    return new ReadReport(
        reports.stream().map(r -> r.source).collect(Collectors.joining(", ")),
        reports.stream().mapToLong(r -> r.rowsRead).sum(),
        reports.stream().mapToLong(r -> r.queriesRead).sum(),
        reports.stream().flatMap(r -> r.issues.stream()).collect(ImmutableList.toImmutableList()));
  }

  /** {@return what was read (a file or folder name; several joined by commas)} */
  public String source() {
    return source;
  }

  /** {@return the data rows examined (blank lines are not rows)} */
  public long rowsRead() {
    return rowsRead;
  }

  /** {@return the number of {@link TrainingQuery} objects produced} */
  public long queriesRead() {
    return queriesRead;
  }

  /** {@return every skipped row or entry, in file order} */
  public List<ReadIssue> issues() {
    return issues;
  }

  /**
   * The number of issues of one kind.
   *
   * @param kind the kind
   * @return how many issues are of {@code kind}
   */
  public long count(ReadIssue.Kind kind) {
    return issues.stream().filter(i -> i.kind() == kind).count();
  }

  /** {@return whether nothing was skipped} */
  public boolean isClean() {
    return issues.isEmpty();
  }

  /**
   * A few lines for a log: the counts, then the first issues ({@code file:line: problem}). Example:
   * {@code "gpt4-teacher/msmarco_train_200.jsonl: 200 rows, 198 queries, skipped 2 (2 broken
   * permutations, 0 malformed rows)"}.
   *
   * @return the summary, one or more lines
   */
  public String summary() {
    StringBuilder text =
        new StringBuilder()
            .append(source)
            .append(": ")
            .append(rowsRead)
            .append(" rows, ")
            .append(queriesRead)
            .append(" queries, skipped ")
            .append(issues.size())
            .append(" (")
            .append(count(ReadIssue.Kind.BROKEN_PERMUTATION))
            .append(" broken permutations, ")
            .append(count(ReadIssue.Kind.MALFORMED_ROW))
            .append(" malformed rows)");
    issues.stream().limit(SUMMARY_ISSUES).forEach(i -> text.append("\n  ").append(i));
    if (issues.size() > SUMMARY_ISSUES) {
      text.append("\n  ... and ").append(issues.size() - SUMMARY_ISSUES).append(" more");
    }
    return text.toString();
  }

  @Override
  public String toString() {
    return summary();
  }
}
