package io.github.r2r.eval;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;

/**
 * ROUGE-L of a candidate text against a reference: the longest common subsequence (LCS) of their
 * {@link WordTokens}, as precision (LCS / candidate words), recall (LCS / reference words) and their
 * harmonic mean F1 (the β = 1 F-measure). All three are 0 when either side has no words.
 */
public record RougeL(double precision, double recall, double f1) {
  /**
   * Checks that each value is a share.
   *
   * @param precision LCS length over the candidate's word count, in [0, 1]
   * @param recall LCS length over the reference's word count, in [0, 1]
   * @param f1 harmonic mean of precision and recall, in [0, 1]
   * @throws IllegalArgumentException if a value is outside [0, 1] (or NaN)
   */
  public RougeL {
    checkArgument(precision >= 0 && precision <= 1, "precision %s is outside [0, 1]", precision);
    checkArgument(recall >= 0 && recall <= 1, "recall %s is outside [0, 1]", recall);
    checkArgument(f1 >= 0 && f1 <= 1, "f1 %s is outside [0, 1]", f1);
  }

  /**
   * ROUGE-L of {@code candidate} against {@code reference}, both plain text.
   *
   * @param candidate the text to score, e.g. a generated reason
   * @param reference the text to score it against
   * @return precision, recall and F1
   * @throws IllegalArgumentException if either text is null
   */
  public static RougeL of(String candidate, String reference) {
    checkArgument(candidate != null, "candidate text is null");
    checkArgument(reference != null, "reference text is null");
    return of(WordTokens.of(candidate), WordTokens.of(reference));
  }

  /**
   * ROUGE-L over already tokenized texts.
   *
   * @param candidate the candidate's words
   * @param reference the reference's words
   * @return precision, recall and F1
   */
  public static RougeL of(List<String> candidate, List<String> reference) {
    int lcs = lcsLength(candidate, reference);
    if (lcs == 0) {
      return new RougeL(0, 0, 0);
    }
    double precision = (double) lcs / candidate.size();
    double recall = (double) lcs / reference.size();
    return new RougeL(precision, recall, 2 * precision * recall / (precision + recall));
  }

  /**
   * Length of the longest common subsequence of two token lists (O(|a|·|b|) time, O(|b|) memory).
   *
   * @param a one token list
   * @param b the other token list
   * @return the LCS length, at most the shorter list's size
   */
  public static int lcsLength(List<String> a, List<String> b) {
    int[] previous = new int[b.size() + 1];
    int[] current = new int[b.size() + 1];
    for (String token : a) {
      for (int j = 1; j <= b.size(); j++) {
        current[j] =
            token.equals(b.get(j - 1)) ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.size()];
  }
}
