package io.github.r2r.training.train;

/**
 * Progress of a run, saved with each checkpoint.
 *
 * @param step completed optimisation steps
 * @param bestScore best dev nDCG@10 so far ({@code -Infinity} before the first evaluation)
 * @param bestStep step of the best checkpoint
 * @param skippedSteps steps skipped for a non-finite loss or gradient
 */
record TrainerState(int step, double bestScore, int bestStep, int skippedSteps) {
  static TrainerState fresh() {
    return new TrainerState(0, Double.NEGATIVE_INFINITY, 0, 0);
  }

  TrainerState afterStep(boolean applied) {
    return new TrainerState(step + 1, bestScore, bestStep, skippedSteps + (applied ? 0 : 1));
  }

  TrainerState withBest(double score, int atStep) {
    return new TrainerState(step, score, atStep, skippedSteps);
  }
}
