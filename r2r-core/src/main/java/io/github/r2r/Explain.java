package io.github.r2r;

/**
 * What a {@link Reranker} explains about its best documents (see {@link Reranker.Builder#explain(Explain,
 * int)} and {@link Reranker.Builder#explain(java.util.Set, int)}). Explanations never change scores or
 * order; they cost extra model passes only when asked for.
 */
public enum Explain {
  /** Scores only (the default). */
  NONE,
  /**
   * The sentence of each top document that the model relates most strongly to the query ({@link
   * RankedDocument#evidence()}).
   */
  EVIDENCE,
  /**
   * A generated reason for each top document: how it addresses the query ({@link
   * RankedDocument#reason()}). Needs a reason decoder for the model (shipped for the bundled model).
   */
  POINTWISE,
  /**
   * A generated reason for each adjacent pair of the top documents: why the upper one is ranked above
   * the next ({@link Ranking#comparisons()}). Needs a reason decoder, as {@link #POINTWISE}.
   */
  COMPARATIVE
}
