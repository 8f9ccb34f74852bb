package io.github.r2r.training.data;

import io.github.r2r.eval.DataFormatException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/** Applies a reader's policies to rejected rows: throw, or record for the {@link ReadReport}. */
final class IssueCollector {
  private final MalformedRowPolicy onMalformedRow;
  private final MalformedRowPolicy onBrokenPermutation;
  private final List<ReadIssue> issues = new ArrayList<>();

  IssueCollector(MalformedRowPolicy onMalformedRow, MalformedRowPolicy onBrokenPermutation) {
    this.onMalformedRow = onMalformedRow;
    this.onBrokenPermutation = onBrokenPermutation;
  }

  /** Handles a rejected row at a 1-based line. */
  void reject(Path file, long line, RejectedRow row) throws DataFormatException {
    handle(file, OptionalLong.of(line), row);
  }

  /** Handles a rejected entry that belongs to no single line. */
  void rejectInFile(Path file, RejectedRow row) throws DataFormatException {
    handle(file, OptionalLong.empty(), row);
  }

  /** A report over everything handled so far; issues sorted by file position. */
  ReadReport report(String source, long rowsRead, long queriesRead) {
    List<ReadIssue> sorted = new ArrayList<>(issues);
    sorted.sort(Comparator.comparingLong(i -> i.line().orElse(Long.MAX_VALUE)));
    return new ReadReport(source, rowsRead, queriesRead, sorted);
  }

  private void handle(Path file, OptionalLong line, RejectedRow row) throws DataFormatException {
    MalformedRowPolicy policy =
        row.kind() == ReadIssue.Kind.MALFORMED_ROW ? onMalformedRow : onBrokenPermutation;
    if (policy == MalformedRowPolicy.FAIL) {
      throw line.isPresent()
          ? DataFormatException.atLine(file, line.getAsLong(), row.getMessage(), row.getCause())
          : DataFormatException.inFile(file, row.getMessage());
    }
    issues.add(new ReadIssue(file, line, row.kind(), row.getMessage()));
  }
}
