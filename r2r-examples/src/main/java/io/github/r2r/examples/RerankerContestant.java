package io.github.r2r.examples;

import io.github.r2r.RankedDocument;
import io.github.r2r.Reranker;
import java.util.List;

/** The library's own path: {@link Reranker#rerank}, scores mapped back to input order. */
final class RerankerContestant implements Contestant {
  private final String name;
  private final Reranker reranker;

  RerankerContestant(String name, Reranker reranker) {
    this.name = name;
    this.reranker = reranker;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public float[] score(String query, List<String> documents) {
    float[] scores = new float[documents.size()];
    for (RankedDocument d : reranker.rerank(query, documents)) {
      scores[d.originalIndex()] = d.score();
    }
    return scores;
  }
}
