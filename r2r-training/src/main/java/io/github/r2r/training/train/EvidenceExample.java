package io.github.r2r.training.train;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * One passage's candidate sentences for the evidence head: the features the head reads and which
 * candidates match the teacher's evidence sentence (at least one does).
 *
 * @param qid the query, for splitting train and held-out sets by query
 * @param query the query embedding
 * @param sentenceCosines per candidate, the zero-shot cosine
 * @param spanStates per candidate, the mean token state of its span in the passage
 * @param matches per candidate, whether it matches the teacher's sentence
 */
public record EvidenceExample(
    String qid, float[] query, float[] sentenceCosines, float[][] spanStates, boolean[] matches) {
  public EvidenceExample {
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

  public int candidates() {
    return matches.length;
  }
}
