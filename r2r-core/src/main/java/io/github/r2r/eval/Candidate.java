package io.github.r2r.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * One first-stage (BM25) candidate of a benchmark query.
 *
 * @param docid the collection's passage id
 * @param text the passage text
 * @param bm25Rank the 1-based BM25 rank
 * @param bm25Score the BM25 score
 */
public record Candidate(String docid, String text, int bm25Rank, double bm25Score) {
  /**
   * Checks the components.
   *
   * @param docid the collection's passage id: non-empty, without whitespace
   * @param text the passage text
   * @param bm25Rank the 1-based BM25 rank
   * @param bm25Score the BM25 score
   * @throws NullPointerException if {@code docid} or {@code text} is null
   * @throws IllegalArgumentException if {@code docid} is empty or contains whitespace, or {@code
   *     bm25Rank} is less than 1
   */
  public Candidate {
    Qrels.checkId(docid, "document id");
    checkNotNull(text, "text");
    checkArgument(bm25Rank >= 1, "BM25 rank of '%s' must be at least 1, got %s", docid, bm25Rank);
  }
}
