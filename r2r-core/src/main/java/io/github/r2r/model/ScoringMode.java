package io.github.r2r.model;

/** How a model turns a (query, document) pair into a relevance score. */
public enum ScoringMode {
  /** Query and document encoded separately; score = cosine of their pooled embeddings. */
  BI_ENCODER,
  /**
   * {@code [CLS] query [SEP] doc [SEP]} encoded together; score = a linear rank head on the pooled
   * {@code [CLS]} state ({@link BertPooler}, then {@link RankHead}).
   */
  CROSS_ENCODER
}
