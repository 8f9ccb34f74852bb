package io.github.r2r.training.train.loss;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import ai.djl.ndarray.NDArray;
import java.util.Set;

/**
 * Margin-MSE (Hofstätter et al.): the student's score margins should equal the teacher's.
 *
 * <p>For every ordered pair of distinct real entries {@code (i, j)} of a list, the term is {@code
 * ((s_i - s_j) - (t_i - t_j))^2} with {@code t} the teacher scores or graded labels; the batch loss
 * is the mean over all such pairs (each unordered pair counted twice with the same term, so this is
 * also the mean over unordered pairs). A batch without any pair yields 0. Ranks carry no margin, so
 * they are not accepted as a source.
 */
public final class MarginMseLoss implements RankingLoss {
  private final TargetSource source;

  private MarginMseLoss(TargetSource source) {
    this.source = checkNotNull(source, "source");
    checkArgument(
        source != TargetSource.TEACHER_RANKS,
        "margin-MSE needs teacher scores or graded labels, not %s: ranks carry no margin",
        source.description());
  }

  /**
   * Margin-MSE against {@code source}, either teacher scores or graded labels.
   *
   * @param source the targets whose differences the score differences should match
   * @return the loss
   * @throws NullPointerException if {@code source} is null
   * @throws IllegalArgumentException if {@code source} is {@link TargetSource#TEACHER_RANKS}
   */
  public static MarginMseLoss of(TargetSource source) {
    return new MarginMseLoss(source);
  }

  /** {@return margin-MSE against teacher scores} */
  public static MarginMseLoss fromTeacherScores() {
    return of(TargetSource.TEACHER_SCORES);
  }

  /** {@return the targets whose differences the score differences should match} */
  public TargetSource source() {
    return source;
  }

  @Override
  public Set<TargetSource> requiredTargets() {
    return Set.of(source);
  }

  @Override
  public NDArray compute(NDArray scores, RankingTargets targets) {
    targets.checkScores(scores, name());
    NDArray valid = targets.validEntries();
    NDArray teacher = MaskedOps.replacePadded(source.relevance(targets, name()), valid, 0f);
    NDArray student = MaskedOps.replacePadded(scores, valid, 0f);
    NDArray errors =
        MaskedOps.pairwiseDifferences(student).sub(MaskedOps.pairwiseDifferences(teacher));
    return MaskedOps.weightedMean(errors.square(), MaskedOps.realPairs(targets.validityMask()));
  }

  @Override
  public String name() {
    return "margin_mse/" + source.key();
  }

  @Override
  public String toString() {
    return name();
  }
}
