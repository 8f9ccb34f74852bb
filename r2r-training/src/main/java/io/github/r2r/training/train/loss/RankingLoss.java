package io.github.r2r.training.train.loss;

import ai.djl.ndarray.NDArray;
import java.util.Set;

/**
 * A differentiable loss over a batch of scored candidate lists.
 *
 * <p>Contract for implementations: {@code scores} is a {@code FLOAT32} array of shape {@code
 * [lists, listSize]} (one row of student scores per query) whose shape equals the targets' validity
 * mask; entries the mask marks as padding must not influence the value or receive gradient,
 * whatever they hold (even NaN). The result is a scalar built only from differentiable NDArray
 * operations, so that autograd reaches the scores; it is attached to the manager of the scores or
 * of the targets, which should therefore be the same short-lived per-step manager. A batch that
 * holds nothing the loss can learn from (no valid entry, no ordered pair) yields exactly zero,
 * never NaN. A loss that needs a kind of supervision the targets lack throws {@link
 * IllegalArgumentException} naming that kind. {@code toString()} describes the loss with its
 * parameters (a weighted sum: every term with its weight); the model card prints it.
 */
public interface RankingLoss {

  /**
   * The scalar loss of {@code scores} against {@code targets}.
   *
   * @param scores student scores {@code [lists, listSize]}, {@code FLOAT32}, of the mask's shape
   * @param targets the batch's supervision
   * @return the loss, a scalar; exactly zero when the batch holds nothing to learn from
   * @throws IllegalArgumentException if the scores do not fit the targets, or the targets lack the
   *     supervision the loss needs
   */
  NDArray compute(NDArray scores, RankingTargets targets);

  /** {@return a short, stable identifier for logs and metrics, e.g. {@code listnet/teacher_ranks}} */
  String name();

  /**
   * The kinds of supervision {@link #compute} requires. The trainer checks, before its first step,
   * that every list of the sources this loss is configured for carries them: a list without them
   * would otherwise fail the run at whichever step first draws it, and again at that step after
   * every resume. The default, no requirement, skips that check (the loss still fails at the step).
   *
   * @return the kinds of targets required
   */
  default Set<TargetSource> requiredTargets() {
    return Set.of();
  }
}
