package io.github.r2r.training.teacher;

import com.google.common.collect.ImmutableList;
import java.time.Duration;
import java.util.List;

/**
 * What a labelling run did.
 *
 * @param inputs queries given
 * @param alreadyDone queries found in the output from earlier runs and skipped
 * @param labelled queries labelled and written by this run
 * @param failures queries this run could not label (rerun to retry them)
 * @param labelUsage tokens behind the labels written by this run, cached windows included
 * @param repairedMissing passages appended by repair in the labels written by this run
 * @param discardedPartialLines incomplete last lines of the output dropped on open (0 or 1)
 * @param elapsed wall time of the run
 */
public record LabellingSummary(
    int inputs,
    int alreadyDone,
    int labelled,
    List<Failure> failures,
    TokenUsage labelUsage,
    int repairedMissing,
    int discardedPartialLines,
    Duration elapsed) {

  /**
   * Copies the failures.
   *
   * @param inputs queries given
   * @param alreadyDone queries found in the output from earlier runs and skipped
   * @param labelled queries labelled and written by this run
   * @param failures queries this run could not label; copied
   * @param labelUsage tokens behind the labels written by this run, cached windows included
   * @param repairedMissing passages appended by repair in the labels written by this run
   * @param discardedPartialLines incomplete last lines of the output dropped on open (0 or 1)
   * @param elapsed wall time of the run
   */
  public LabellingSummary {
    failures = ImmutableList.copyOf(failures);
  }

  /** A query that could not be labelled, and why. */
  public record Failure(String qid, String message) {}
}
