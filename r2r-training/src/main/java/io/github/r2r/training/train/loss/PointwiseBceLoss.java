package io.github.r2r.training.train.loss;

import static com.google.common.base.Preconditions.checkArgument;

import ai.djl.ndarray.NDArray;
import java.util.Set;

/**
 * Pointwise binary cross-entropy of each score, read as a logit, against its graded label mapped to
 * [0, 1]: either {@code label / maxGrade} (a soft target that keeps the grade order) or {@code
 * label >= threshold ? 1 : 0}. Computed as {@code max(x, 0) - x * y + log(1 + exp(-|x|))}, which
 * does not overflow for any finite logit. The batch loss is the mean over real entries; a batch
 * without any yields 0.
 */
public final class PointwiseBceLoss implements RankingLoss {
  private final boolean binary;
  private final float gradeParameter;

  private PointwiseBceLoss(boolean binary, float gradeParameter) {
    this.binary = binary;
    this.gradeParameter = gradeParameter;
  }

  /**
   * Targets {@code label / maxGrade}; every real label must lie in {@code [0, maxGrade]} (e.g.
   * {@code maxGrade = 3} for TREC grades 0..3, 1 for binary labels).
   *
   * @param maxGrade the highest grade, positive and finite
   * @return the loss (it needs graded labels)
   * @throws IllegalArgumentException if {@code maxGrade} is not positive and finite
   */
  public static PointwiseBceLoss scaledByMaxGrade(float maxGrade) {
    checkArgument(
        maxGrade > 0 && Float.isFinite(maxGrade),
        "maxGrade must be positive and finite, got %s",
        maxGrade);
    return new PointwiseBceLoss(false, maxGrade);
  }

  /**
   * Targets 1 for labels of at least {@code threshold} and 0 below it (e.g. TREC grade ≥ 2).
   *
   * @param threshold the lowest relevant label, finite
   * @return the loss (it needs graded labels)
   * @throws IllegalArgumentException if {@code threshold} is not finite
   */
  public static PointwiseBceLoss binaryAtThreshold(float threshold) {
    checkArgument(Float.isFinite(threshold), "threshold must be finite, got %s", threshold);
    return new PointwiseBceLoss(true, threshold);
  }

  @Override
  public NDArray compute(NDArray scores, RankingTargets targets) {
    targets.checkScores(scores, name());
    NDArray valid = targets.validEntries();
    NDArray labels =
        MaskedOps.replacePadded(targets.require(TargetSource.GRADED_LABELS, name()), valid, 0f);
    NDArray probabilities =
        binary
            ? labels.gte(gradeParameter).toType(scores.getDataType(), false)
            : scaleToUnitInterval(labels);
    NDArray logits = MaskedOps.replacePadded(scores, valid, 0f);
    return MaskedOps.weightedMean(
        StableMath.binaryCrossEntropyWithLogits(logits, probabilities), targets.validityMask());
  }

  private NDArray scaleToUnitInterval(NDArray labels) {
    if (!labels.isEmpty()) {
      float lowest = labels.min().getFloat();
      float highest = labels.max().getFloat();
      checkArgument(
          lowest >= 0 && highest <= gradeParameter,
          "%s: graded labels must lie in [0, %s], got values in [%s, %s]",
          name(),
          gradeParameter,
          lowest,
          highest);
    }
    return labels.div(gradeParameter);
  }

  /** The grade scale that loss specs use unless told otherwise (TREC grades 0..3). */
  private static final float DEFAULT_MAX_GRADE = 3f;

  /**
   * {@code pointwise_bce/labels} at the default scale 3, {@code pointwise_bce/labels:<maxGrade>} at
   * another, {@code pointwise_bce/labels>=<threshold>} for binary targets: the name identifies a term
   * of a {@link WeightedSumLoss} and its log entry, so two settings on the labels must be two names.
   */
  @Override
  public Set<TargetSource> requiredTargets() {
    return Set.of(TargetSource.GRADED_LABELS);
  }

  @Override
  public String name() {
    String base = "pointwise_bce/labels";
    if (binary) {
      return base + ">=" + gradeParameter;
    }
    return gradeParameter == DEFAULT_MAX_GRADE ? base : base + ":" + gradeParameter;
  }

  @Override
  public String toString() {
    return "pointwise_bce/labels" + (binary ? "(threshold=" : "(maxGrade=") + gradeParameter + ")";
  }
}
