package io.github.r2r.text;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * One sentence of a text, located by its character offsets in that text: {@code
 * original.substring(start, end).equals(text)}.
 *
 * @param text the sentence, without surrounding whitespace
 * @param start offset of its first char in the original text (inclusive)
 * @param end offset after its last char in the original text (exclusive)
 */
public record Sentence(String text, int start, int end) {
  /**
   * Checks that the span is consistent with the text.
   *
   * @param text the sentence
   * @param start offset of its first char in the original text (inclusive)
   * @param end offset after its last char in the original text (exclusive)
   * @throws IllegalArgumentException if {@code text} is null, {@code start} is negative, {@code end} is
   *     not after {@code start}, or {@code text} is not {@code end - start} chars long
   */
  public Sentence {
    checkArgument(text != null, "sentence text is null");
    checkArgument(start >= 0 && start < end, "sentence span [%s, %s) is empty or negative", start, end);
    checkArgument(
        text.length() == end - start,
        "sentence text has %s chars but its span [%s, %s) has %s",
        text.length(),
        start,
        end,
        end - start);
  }
}
