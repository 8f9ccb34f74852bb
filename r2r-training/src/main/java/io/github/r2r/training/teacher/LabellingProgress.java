package io.github.r2r.training.teacher;

import java.time.Duration;

/**
 * Where a labelling run stands, reported after each query.
 *
 * @param finished queries labelled or failed in this run so far
 * @param toDo queries this run set out to label (those not already in the output)
 * @param failed queries of this run that could not be labelled
 * @param alreadyDone queries found in the output from earlier runs and skipped
 * @param elapsed time since this run started
 */
public record LabellingProgress(
    int finished, int toDo, int failed, int alreadyDone, Duration elapsed) {}
