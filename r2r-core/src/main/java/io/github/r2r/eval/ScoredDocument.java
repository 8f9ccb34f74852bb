package io.github.r2r.eval;

import static com.google.common.base.Preconditions.checkArgument;

/** One retrieved document of a run and the score the system gave it. */
public record ScoredDocument(String docid, double score) {
  public ScoredDocument {
    Qrels.checkId(docid, "document id");
    checkArgument(!Double.isNaN(score), "score of document '%s' is NaN", docid);
  }
}
