package io.github.r2r.training.train;

import java.util.Map;
import java.util.Set;

/**
 * Progress of a run, saved with each checkpoint.
 *
 * @param step completed optimisation steps
 * @param bestScore best dev nDCG@10 so far ({@code -Infinity} before the first evaluation)
 * @param bestStep step of the best checkpoint
 * @param skippedSteps steps skipped for a non-finite loss or gradient
 * @param extraLossTerms the terms the steps so far trained beyond the configured losses, and the
 *     configured components they left out
 */
record TrainerState(int step, double bestScore, int bestStep, int skippedSteps, ExtraLossTerms extraLossTerms) {
  static TrainerState fresh() {
    return new TrainerState(0, Double.NEGATIVE_INFINITY, 0, 0, ExtraLossTerms.NONE);
  }

  TrainerState afterStep(boolean applied) {
    return afterStep(applied, "", Map.of(), Set.of(), "");
  }

  /**
   * @param extraTerms the weights of the step's loss terms beyond its source's configured loss
   * @param omittedComponents the components of the source's configured loss the step's loss lacked
   * @param trainer the class whose {@code computeLoss} returned that loss
   */
  TrainerState afterStep(
      boolean applied, String source, Map<String, Float> extraTerms, Set<String> omittedComponents, String trainer) {
    return new TrainerState(
        step + 1,
        bestScore,
        bestStep,
        skippedSteps + (applied ? 0 : 1),
        extraLossTerms.afterStep(source, extraTerms, omittedComponents, trainer));
  }

  TrainerState withBest(double score, int atStep) {
    return new TrainerState(step, score, atStep, skippedSteps, extraLossTerms);
  }
}
