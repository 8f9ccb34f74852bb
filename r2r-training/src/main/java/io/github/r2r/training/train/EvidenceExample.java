package io.github.r2r.training.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * One passage's candidate sentences for the evidence head: the features the head reads and which
 * candidates match the teacher's evidence sentence (at least one does).
 *
 * <p>Immutable, so that the checked "at least one match" holds for good: the arrays are copied on
 * construction and the accessors return copies. Per-candidate readers ({@link #sentenceCosine}, {@link
 * #spanState}, {@link #isMatch}) copy at most one candidate's values, not every candidate's, and are
 * no dearer than the head's scoring of that candidate. Equality is a record's: the arrays compare by
 * identity.
 *
 * @param qid the query, for splitting train and held-out sets by query
 * @param query the query embedding
 * @param sentenceCosines per candidate, the zero-shot cosine
 * @param spanStates per candidate, the mean token state of its span in the passage
 * @param matches per candidate, whether it matches the teacher's sentence
 */
public record EvidenceExample(
    String qid, float[] query, float[] sentenceCosines, float[][] spanStates, boolean[] matches) {
  /**
   * Checks and copies the components.
   *
   * @param qid the query
   * @param query the query embedding
   * @param sentenceCosines per candidate, the zero-shot cosine
   * @param spanStates per candidate, the mean token state of its span in the passage
   * @param matches per candidate, whether it matches the teacher's sentence (at least one does)
   * @throws NullPointerException if an array is null
   * @throws IllegalArgumentException if there is no candidate, the per-candidate arrays differ in
   *     length, or no candidate matches
   */
  public EvidenceExample {
    query = checkNotNull(query, "query").clone();
    sentenceCosines = checkNotNull(sentenceCosines, "sentenceCosines").clone();
    spanStates = deepCopy(checkNotNull(spanStates, "spanStates"));
    matches = checkNotNull(matches, "matches").clone();
    checkArgument(sentenceCosines.length > 0, "no candidate sentences");
    checkArgument(
        sentenceCosines.length == spanStates.length && sentenceCosines.length == matches.length,
        "%s cosines, %s span states, %s match flags", sentenceCosines.length, spanStates.length, matches.length);
    boolean any = false;
    for (boolean m : matches) {
      any |= m;
    }
    checkArgument(any, "no candidate matches the teacher's sentence");
  }

  /** {@return the number of candidate sentences, at least 1} */
  public int candidates() {
    return matches.length;
  }

  /** {@return a copy of the query embedding} */
  @Override
  public float[] query() {
    return query.clone();
  }

  /** {@return a copy of every candidate's zero-shot cosine} */
  @Override
  public float[] sentenceCosines() {
    return sentenceCosines.clone();
  }

  /** {@return a copy of every candidate's span state} */
  @Override
  public float[][] spanStates() {
    return deepCopy(spanStates);
  }

  /** {@return a copy of every candidate's match flag} */
  @Override
  public boolean[] matches() {
    return matches.clone();
  }

  /**
   * One candidate's zero-shot cosine.
   *
   * @param candidate the 0-based candidate index
   * @return the cosine
   * @throws ArrayIndexOutOfBoundsException if {@code candidate} is out of range
   */
  public float sentenceCosine(int candidate) {
    return sentenceCosines[candidate];
  }

  /**
   * A copy of one candidate's span state.
   *
   * @param candidate the 0-based candidate index
   * @return the mean token state of its span
   * @throws ArrayIndexOutOfBoundsException if {@code candidate} is out of range
   */
  public float[] spanState(int candidate) {
    return spanStates[candidate].clone();
  }

  /**
   * Whether one candidate matches the teacher's sentence.
   *
   * @param candidate the 0-based candidate index
   * @return whether it matches
   * @throws ArrayIndexOutOfBoundsException if {@code candidate} is out of range
   */
  public boolean isMatch(int candidate) {
    return matches[candidate];
  }

  private static float[][] deepCopy(float[][] rows) {
    float[][] copy = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      copy[i] = checkNotNull(rows[i], "span state %s", i).clone();
    }
    return copy;
  }
}
