package io.github.r2r;

/**
 * One document in a {@link Ranking}.
 *
 * @param document the input document
 * @param score the model's relevance score (higher is better; comparable only within one model)
 * @param rank 1-based position in the ranking
 * @param originalIndex 0-based position in the input list
 */
public record RankedDocument(Document document, float score, int rank, int originalIndex) {
  public String id() {
    return document.id();
  }

  public String text() {
    return document.text();
  }
}
