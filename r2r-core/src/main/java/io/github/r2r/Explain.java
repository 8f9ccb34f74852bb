package io.github.r2r;

/**
 * What a {@link Reranker} explains about its best documents (see {@link
 * Reranker.Builder#explain(Explain, int)}). Explanations never change scores or order; they cost extra
 * model passes only when asked for.
 */
public enum Explain {
  /** Scores only (the default). */
  NONE,
  /**
   * The sentence of each top document that the model relates most strongly to the query ({@link
   * RankedDocument#evidence()}).
   */
  EVIDENCE
}
