package io.github.r2r;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The sentence of a document that best supports its relevance to the query, located in the
 * document's text: {@code document.text().substring(start, end).equals(text)}.
 *
 * @param text the sentence
 * @param start offset of its first char in the document text (inclusive)
 * @param end offset after its last char (exclusive)
 * @param score how strongly the model relates the sentence to the query (higher is stronger;
 *     comparable only between sentences scored by one model and {@link EvidenceScoring}): the
 *     evidence head's score, or zero-shot the sentence's score as a document
 */
public record Evidence(String text, int start, int end, float score) {
  /**
   * Checks that the span is consistent with the text; whether it is a span of a given document is
   * checked by {@link RankedDocument}.
   *
   * @param text the sentence
   * @param start offset of its first char in the document text (inclusive)
   * @param end offset after its last char (exclusive)
   * @param score how strongly the model relates the sentence to the query
   * @throws IllegalArgumentException if {@code text} is null, {@code start} is negative, {@code end} is
   *     not after {@code start}, or {@code text} is not {@code end - start} chars long
   */
  public Evidence {
    checkArgument(text != null, "evidence text is null");
    checkArgument(start >= 0 && start < end, "evidence span [%s, %s) is empty or negative", start, end);
    checkArgument(
        text.length() == end - start,
        "evidence text has %s chars but its span [%s, %s) has %s",
        text.length(),
        start,
        end,
        end - start);
  }
}
