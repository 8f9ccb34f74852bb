package io.github.r2r.training.data;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * The queries a reader produced and its report of what it skipped.
 *
 * @param queries the training queries, in file order
 * @param report counts and skipped rows; print it
 */
public record ReadResult(List<TrainingQuery> queries, ReadReport report) {
  /**
   * Copies the queries.
   *
   * @param queries the training queries, in file order
   * @param report counts and skipped rows
   * @throws NullPointerException if {@code queries}, one of them, or {@code report} is null
   */
  public ReadResult {
    queries = ImmutableList.copyOf(queries);
    checkNotNull(report, "report");
  }

  /**
   * Several results as one: queries concatenated in order, reports combined.
   *
   * @param results the results, at least one
   * @return the combined result
   * @throws IllegalArgumentException if {@code results} is empty
   */
  public static ReadResult concat(List<ReadResult> results) {
    return new ReadResult(
        results.stream()
            .flatMap(r -> r.queries().stream())
            .collect(ImmutableList.toImmutableList()),
        ReadReport.combine(results.stream().map(ReadResult::report).toList()));
  }
}
