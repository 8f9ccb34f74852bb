package io.github.r2r.eval;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * One retrieved document of a run and the score the system gave it.
 *
 * @param docid the document id: non-empty, without whitespace
 * @param score the system's score, higher first; not NaN
 */
public record ScoredDocument(String docid, double score) {
  /**
   * Checks the components.
   *
   * @param docid the document id
   * @param score the system's score
   * @throws NullPointerException if {@code docid} is null
   * @throws IllegalArgumentException if {@code docid} is empty or contains whitespace, or {@code
   *     score} is NaN
   */
  public ScoredDocument {
    Qrels.checkId(docid, "document id");
    checkArgument(!Double.isNaN(score), "score of document '%s' is NaN", docid);
  }
}
