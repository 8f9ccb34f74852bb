package io.github.r2r.training.train.loss;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import ai.djl.ndarray.NDArray;
import java.util.Set;

/**
 * Listwise KL divergence from the target's top-one distribution to the student's (ListNet; the
 * listwise distillation loss of Reason-to-Rank).
 *
 * <p>Per list, over its real entries only: {@code p = softmax(relevance / temperature)} and {@code
 * q = softmax(scores)}, loss {@code KL(p || q) = sum_i p_i (log p_i - log q_i)}, i.e. the ListNet
 * cross-entropy minus the target's entropy, so that a perfect student scores exactly 0. Relevance
 * is {@code -rank} for teacher ranks and the value itself for labels or teacher scores. The batch
 * loss is the mean over lists with at least two real entries; lists with fewer carry no ordering
 * and contribute nothing, and a batch without any such list yields 0.
 */
public final class ListNetLoss implements RankingLoss {
  /**
   * Stands in for padded logits so that their softmax weight is exactly 0 in float32 while every
   * difference stays finite (an infinity would make {@code 0 * (-inf - -inf)} a NaN).
   */
  private static final float PADDED_LOGIT = -1e30f;

  /** The temperature that leaves the target's values as they are. */
  private static final float DEFAULT_TEMPERATURE = 1f;

  private final TargetSource source;
  private final float temperature;

  private ListNetLoss(TargetSource source, float temperature) {
    this.source = checkNotNull(source, "source");
    checkArgument(
        temperature > 0 && Float.isFinite(temperature),
        "temperature must be positive and finite, got %s",
        temperature);
    this.temperature = temperature;
  }

  /**
   * ListNet against {@code source}, whose values are divided by {@code temperature} before the
   * target softmax; a lower temperature sharpens the target towards the top entry.
   *
   * @param source the targets to match
   * @param temperature positive and finite
   * @return the loss
   * @throws NullPointerException if {@code source} is null
   * @throws IllegalArgumentException if {@code temperature} is not positive and finite
   */
  public static ListNetLoss of(TargetSource source, float temperature) {
    return new ListNetLoss(source, temperature);
  }

  /**
   * ListNet against the teacher's ranks: {@code p = softmax(-rank / temperature)}.
   *
   * @param temperature positive and finite
   * @return the loss
   * @throws IllegalArgumentException if {@code temperature} is not positive and finite
   */
  public static ListNetLoss fromTeacherRanks(float temperature) {
    return of(TargetSource.TEACHER_RANKS, temperature);
  }

  /**
   * ListNet against graded labels: {@code p = softmax(label / temperature)}.
   *
   * @param temperature positive and finite
   * @return the loss
   * @throws IllegalArgumentException if {@code temperature} is not positive and finite
   */
  public static ListNetLoss fromGradedLabels(float temperature) {
    return of(TargetSource.GRADED_LABELS, temperature);
  }

  /** {@return the targets this loss matches} */
  public TargetSource source() {
    return source;
  }

  @Override
  public Set<TargetSource> requiredTargets() {
    return Set.of(source);
  }

  /** {@return the temperature the target's values are divided by} */
  public float temperature() {
    return temperature;
  }

  @Override
  public NDArray compute(NDArray scores, RankingTargets targets) {
    targets.checkScores(scores, name());
    NDArray valid = targets.validEntries();
    NDArray relevance = source.relevance(targets, name()).div(temperature);
    NDArray targetLogProbs = MaskedOps.replacePadded(relevance, valid, PADDED_LOGIT).logSoftmax(1);
    NDArray studentLogProbs = MaskedOps.replacePadded(scores, valid, PADDED_LOGIT).logSoftmax(1);
    NDArray divergenceTerms = targetLogProbs.exp().mul(targetLogProbs.sub(studentLogProbs));
    NDArray perList = MaskedOps.replacePadded(divergenceTerms, valid, 0f).sum(new int[] {1});
    NDArray orderedLists =
        targets.validityMask().sum(new int[] {1}).gte(2f).toType(perList.getDataType(), false);
    return MaskedOps.weightedMean(perList, orderedLists);
  }

  /**
   * {@code listnet/<target>} at the default temperature 1, else {@code listnet/<target>:<temperature>}:
   * the name identifies a term of a {@link WeightedSumLoss} and its log entry, so two temperatures on
   * one target must be two names.
   */
  @Override
  public String name() {
    return "listnet/" + source.key() + (temperature == DEFAULT_TEMPERATURE ? "" : ":" + temperature);
  }

  @Override
  public String toString() {
    return "listnet/" + source.key() + "(temperature=" + temperature + ")";
  }
}
