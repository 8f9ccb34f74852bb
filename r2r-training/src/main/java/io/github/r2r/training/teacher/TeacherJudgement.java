package io.github.r2r.training.teacher;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * A teacher's verdict on one list of passages: the order it chose, best first, with reasons.
 *
 * @param ranking every input passage exactly once, best first
 * @param model the model that answered (as the server named it)
 * @param usage tokens of all calls that produced this judgement, rejected answers included
 * @param rawResponses the accepted answer text of each call, in call order (one per window when
 *     several windows were merged)
 * @param repairedMissing how many times a passage the teacher left out was appended by repair; zero
 *     for a clean judgement
 */
public record TeacherJudgement(
    List<RankedPassage> ranking,
    String model,
    TokenUsage usage,
    List<String> rawResponses,
    int repairedMissing) {
  /**
   * Checks the components and copies the lists.
   *
   * @param ranking every input passage exactly once, best first
   * @param model the model that answered
   * @param usage tokens of all calls that produced this judgement
   * @param rawResponses the accepted answer text of each call
   * @param repairedMissing how many times a left-out passage was appended by repair, non-negative
   * @throws NullPointerException if a component is null
   * @throws IllegalArgumentException if {@code ranking} is empty or is not a permutation of the input
   *     positions, or {@code repairedMissing} is negative
   */
  public TeacherJudgement {
    ranking = ImmutableList.copyOf(checkNotNull(ranking, "ranking is null"));
    checkNotNull(model, "model is null");
    checkNotNull(usage, "usage is null");
    rawResponses = ImmutableList.copyOf(checkNotNull(rawResponses, "rawResponses is null"));
    checkArgument(!ranking.isEmpty(), "ranking is empty");
    checkArgument(repairedMissing >= 0, "repairedMissing must be >= 0, got %s", repairedMissing);
    boolean[] seen = new boolean[ranking.size()];
    for (RankedPassage passage : ranking) {
      int index = passage.inputIndex();
      checkArgument(
          index < ranking.size(),
          "inputIndex %s out of range for a ranking of %s passages",
          index,
          ranking.size());
      checkArgument(!seen[index], "inputIndex %s appears twice in the ranking", index);
      seen[index] = true;
    }
  }

  /** {@return the number of passages judged} */
  public int size() {
    return ranking.size();
  }

  /** {@return the 0-based input positions, best first} */
  public ImmutableList<Integer> permutation() {
    return ranking.stream().map(RankedPassage::inputIndex).collect(ImmutableList.toImmutableList());
  }

  /** {@return true when the teacher ranked every passage itself and nothing was repaired} */
  public boolean isClean() {
    return repairedMissing == 0;
  }
}
