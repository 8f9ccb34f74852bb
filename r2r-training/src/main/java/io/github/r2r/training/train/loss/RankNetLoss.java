package io.github.r2r.training.train.loss;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import ai.djl.ndarray.NDArray;
import io.github.r2r.model.ScalarOps;
import java.util.Set;

/**
 * Pairwise logistic loss (RankNet).
 *
 * <p>For every pair of real entries {@code (i, j)} of a list where the target prefers {@code i}
 * (lower teacher rank, or strictly higher label or teacher score; ties form no pair), the term is
 * {@code log(1 + exp(-sigma * (s_i - s_j)))}. The batch loss is the mean over all such pairs of all
 * lists, so every preference counts once; a list without any pair contributes nothing, and a batch
 * without any pair yields 0.
 */
public final class RankNetLoss implements RankingLoss {
  private final TargetSource source;
  private final float sigma;

  private RankNetLoss(TargetSource source, float sigma) {
    this.source = checkNotNull(source, "source");
    checkArgument(
        sigma > 0 && Float.isFinite(sigma), "sigma must be positive and finite, got %s", sigma);
    this.sigma = sigma;
  }

  /**
   * RankNet over the preferences of {@code source}, with score differences scaled by {@code sigma}.
   *
   * @param source the targets whose order gives the preferred pairs
   * @param sigma the scale of score differences, positive and finite
   * @return the loss
   * @throws NullPointerException if {@code source} is null
   * @throws IllegalArgumentException if {@code sigma} is not positive and finite
   */
  public static RankNetLoss of(TargetSource source, float sigma) {
    return new RankNetLoss(source, sigma);
  }

  /** {@return RankNet over the teacher's order, {@code sigma = 1}} */
  public static RankNetLoss fromTeacherRanks() {
    return of(TargetSource.TEACHER_RANKS, 1f);
  }

  /** {@return RankNet over graded labels, {@code sigma = 1}} */
  public static RankNetLoss fromGradedLabels() {
    return of(TargetSource.GRADED_LABELS, 1f);
  }

  /** {@return the targets whose order gives the preferred pairs} */
  public TargetSource source() {
    return source;
  }

  @Override
  public Set<TargetSource> requiredTargets() {
    return Set.of(source);
  }

  /** {@return the scale of score differences} */
  public float sigma() {
    return sigma;
  }

  @Override
  public NDArray compute(NDArray scores, RankingTargets targets) {
    targets.checkScores(scores, name());
    NDArray valid = targets.validEntries();
    NDArray relevance = MaskedOps.replacePadded(source.relevance(targets, name()), valid, 0f);
    NDArray preferred =
        MaskedOps.pairwiseDifferences(relevance).gt(0f).toType(scores.getDataType(), false);
    NDArray pairs = preferred.mul(MaskedOps.realPairs(targets.validityMask()));
    NDArray margins = MaskedOps.pairwiseDifferences(MaskedOps.replacePadded(scores, valid, 0f));
    NDArray terms = StableMath.softplus(ScalarOps.times(margins, -sigma));
    return MaskedOps.weightedMean(terms, pairs);
  }

  @Override
  public String name() {
    return "ranknet/" + source.key();
  }

  @Override
  public String toString() {
    return name() + "(sigma=" + sigma + ")";
  }
}
