package io.github.r2r.training.teacher;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * One passage in a teacher's ranking, with the teacher's reasons for placing it there.
 *
 * @param inputIndex 0-based position of the passage in the list the teacher was given
 * @param directReason pointwise reason: how the passage itself addresses the query
 * @param listwiseReason comparative reason: why it ranks where it does among the others
 * @param answerSentence the passage sentence that best answers the query, or empty
 * @param repaired true when the teacher's answer left this passage out and it was appended by
 *     repair: its place was not chosen by the teacher and its reasons are empty
 */
public record RankedPassage(
    int inputIndex,
    String directReason,
    String listwiseReason,
    String answerSentence,
    boolean repaired) {
  /**
   * Checks the components.
   *
   * @param inputIndex 0-based position of the passage in the list the teacher was given
   * @param directReason pointwise reason, or {@code ""}
   * @param listwiseReason comparative reason, or {@code ""}
   * @param answerSentence the best-answering sentence, or {@code ""}
   * @param repaired whether the passage was appended by repair
   * @throws IllegalArgumentException if {@code inputIndex} is negative
   * @throws NullPointerException if a string is null
   */
  public RankedPassage {
    checkArgument(inputIndex >= 0, "inputIndex must be >= 0, got %s", inputIndex);
    checkNotNull(directReason, "directReason is null (use \"\")");
    checkNotNull(listwiseReason, "listwiseReason is null (use \"\")");
    checkNotNull(answerSentence, "answerSentence is null (use \"\")");
  }

  /**
   * A passage the teacher left out, placed by repair, with no reasons.
   *
   * @param inputIndex 0-based position of the passage in the list the teacher was given
   * @return the repaired entry
   * @throws IllegalArgumentException if {@code inputIndex} is negative
   */
  public static RankedPassage repairedAt(int inputIndex) {
    return new RankedPassage(inputIndex, "", "", "", true);
  }

  /** The same judgement of the same passage, found at another input position. */
  RankedPassage movedTo(int newInputIndex) {
    return new RankedPassage(newInputIndex, directReason, listwiseReason, answerSentence, repaired);
  }
}
