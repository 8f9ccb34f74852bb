package io.github.r2r;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;
import java.util.Optional;

/**
 * One document in a {@link Ranking}.
 *
 * @param document the input document
 * @param score the model's relevance score (higher is better; comparable only within one model)
 * @param rank 1-based position in the ranking
 * @param originalIndex 0-based position in the input list
 * @param evidence the document's best-supporting sentence, present only for the top documents of a
 *     ranking made with {@link Explain#EVIDENCE}
 * @param reason how the document addresses the query, generated for the top documents of a ranking
 *     made with {@link Explain#POINTWISE}
 */
public record RankedDocument(
    Document document,
    float score,
    int rank,
    int originalIndex,
    Optional<Evidence> evidence,
    Optional<String> reason) {
  /**
   * Checks that the explanations fit the document.
   *
   * @param document the input document
   * @param score the model's relevance score
   * @param rank 1-based position in the ranking
   * @param originalIndex 0-based position in the input list
   * @param evidence the best-supporting sentence, or empty
   * @param reason the generated reason, or empty
   * @throws IllegalArgumentException if {@code document}, {@code evidence} or {@code reason} is null, or
   *     the evidence is not the span {@code [start, end)} of the document's text
   */
  public RankedDocument {
    checkArgument(document != null, "document is null");
    checkArgument(evidence != null, "evidence of document '%s' is null; use Optional.empty()", document.id());
    checkArgument(reason != null, "reason of document '%s' is null; use Optional.empty()", document.id());
    evidence.ifPresent(
        e ->
            checkArgument(
                e.end() <= document.text().length()
                    && document.text().substring(e.start(), e.end()).equals(e.text()),
                "evidence [%s, %s) '%s' is not that span of document '%s'",
                e.start(),
                e.end(),
                e.text(),
                document.id()));
  }

  /**
   * A ranked document without a reason.
   *
   * @param document the input document
   * @param score the model's relevance score
   * @param rank 1-based position in the ranking
   * @param originalIndex 0-based position in the input list
   * @param evidence the best-supporting sentence, or empty
   * @throws IllegalArgumentException if {@code document} or {@code evidence} is null, or the evidence is
   *     not the span {@code [start, end)} of the document's text
   */
  public RankedDocument(
      Document document, float score, int rank, int originalIndex, Optional<Evidence> evidence) {
    this(document, score, rank, originalIndex, evidence, Optional.empty());
  }

  /**
   * A ranked document without explanations.
   *
   * @param document the input document
   * @param score the model's relevance score
   * @param rank 1-based position in the ranking
   * @param originalIndex 0-based position in the input list
   * @throws IllegalArgumentException if {@code document} is null
   */
  public RankedDocument(Document document, float score, int rank, int originalIndex) {
    this(document, score, rank, originalIndex, Optional.empty(), Optional.empty());
  }

  /** {@return the document's id, as given (its input position for {@link Reranker#rerank(String, List)})} */
  public String id() {
    return document.id();
  }

  /** {@return the document's text, as given} */
  public String text() {
    return document.text();
  }

  /** This document with {@code evidence} attached; everything else unchanged. */
  RankedDocument withEvidence(Evidence newEvidence) {
    return new RankedDocument(document, score, rank, originalIndex, Optional.of(newEvidence), reason);
  }

  /** This document with {@code newReason} attached; everything else unchanged. */
  RankedDocument withReason(String newReason) {
    return new RankedDocument(document, score, rank, originalIndex, evidence, Optional.of(newReason));
  }
}
