package io.github.r2r.training.train.loss;

import ai.djl.ndarray.NDArray;

/** Which supervision in {@link RankingTargets} a loss learns from. */
public enum TargetSource {
  /** The teacher's permutation; rank 1 is the best entry. */
  TEACHER_RANKS("teacher ranks", "teacher_ranks"),
  /** Graded relevance labels such as TREC grades 0..3, or binary labels; higher is better. */
  GRADED_LABELS("graded labels", "labels"),
  /** Real-valued teacher scores; higher is better. */
  TEACHER_SCORES("teacher scores", "teacher_scores");

  private final String description;
  private final String key;

  TargetSource(String description, String key) {
    this.description = description;
    this.key = key;
  }

  /** {@return the human-readable name used in error messages, e.g. {@code teacher ranks}} */
  public String description() {
    return description;
  }

  /** {@return the identifier used in loss names, e.g. {@code teacher_ranks}} */
  public String key() {
    return key;
  }

  /**
   * The targets of this source as relevance where higher means better: ranks are negated so that
   * every loss can treat all sources alike.
   *
   * @throws IllegalArgumentException if {@code targets} lack this source; the message names {@code
   *     lossName} and the missing source
   */
  NDArray relevance(RankingTargets targets, String lossName) {
    NDArray values = targets.require(this, lossName);
    return this == TEACHER_RANKS ? values.neg() : values;
  }
}
