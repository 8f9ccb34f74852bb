package io.github.r2r.training.train;

import java.nio.file.Path;

/**
 * What a finished run produced.
 *
 * @param modelDir the model directory to load (the best dev checkpoint, or the final one without a dev set)
 * @param bestDevNdcg10 the dev nDCG@10 of that model ({@code NaN} without a dev set)
 * @param bestStep the step it was taken at
 * @param skippedSteps steps skipped because the loss was not finite
 * @param seconds wall time of this process's part of the run
 */
public record TrainingResult(Path modelDir, double bestDevNdcg10, int bestStep, int skippedSteps, double seconds) {}
