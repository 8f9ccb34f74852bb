package io.github.r2r;

import java.util.List;

/** Scores the documents of one query; one implementation per {@link io.github.r2r.model.ScoringMode}. */
interface DocumentScorer {
  /** One score per document, in input order. Inputs are already validated. */
  float[] score(String query, List<Document> documents);
}
