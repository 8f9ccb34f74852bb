package io.github.r2r.generate;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * A passage to explain and the span of it a reason should see: the decoder reads at most {@link
 * ReasonConfig#maxInputTokens()} tokens (about 300 of a passage's for a pointwise reason, half that
 * each for a comparative one), so of a longer passage it reads the start, unless the focus lies beyond
 * that: then it reads the focus alone. The Reranker focuses on a document's evidence sentence, so that
 * the reason of a long document is about the part that answers the query.
 *
 * @param text the passage
 * @param focusStart start of the span the reason should see, a char offset into {@code text}
 * @param focusEnd end of that span (exclusive); {@code focusStart == focusEnd == 0} for no focus
 */
public record ReasonPassage(String text, int focusStart, int focusEnd) {
  /**
   * Checks that the focus is a span of the text.
   *
   * @param text the passage
   * @param focusStart start of the focus, a char offset into {@code text}
   * @param focusEnd end of the focus (exclusive)
   * @throws IllegalArgumentException if {@code text} is null, or not {@code 0 <= focusStart <= focusEnd
   *     <= text.length()}
   */
  public ReasonPassage {
    checkArgument(text != null, "passage text is null");
    checkArgument(0 <= focusStart && focusStart <= focusEnd && focusEnd <= text.length(),
        "focus [%s, %s) is not a span of the passage's %s chars", focusStart, focusEnd, text.length());
  }

  /**
   * The passage without a focus: a reason reads it from its start.
   *
   * @param text the passage
   * @return the passage with the empty focus {@code [0, 0)}
   * @throws IllegalArgumentException if {@code text} is null
   */
  public static ReasonPassage whole(String text) {
    return new ReasonPassage(text, 0, 0);
  }
}
