package io.github.r2r;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * What happens to a document longer than the model's input: it is split into token windows and
 * scored by its best window (MaxP). The default, {@link #defaults()}, reads up to 64 windows of 400 tokens
 * 200 apart, so text after about 13,000 tokens (63 × 200 + 400) is not scored; for longer documents
 * raise {@code maxWindows} (the constructor) at the cost of one more sequence per window. {@link
 * #firstWindowOnly(int)} reads the first window only.
 *
 * @param windowTokens tokens of document text per window (the query and special tokens come on top,
 *     capped by the model's max length)
 * @param strideTokens tokens between the starts of consecutive windows
 * @param maxWindows at most this many windows per document
 */
public record LongDocumentStrategy(int windowTokens, int strideTokens, int maxWindows) {
  /**
   * Checks the components.
   *
   * @param windowTokens tokens of document text per window, at least 8
   * @param strideTokens tokens between window starts, in {@code [1, windowTokens]}
   * @param maxWindows at most this many windows per document, at least 1
   * @throws IllegalArgumentException if a component is outside its range
   */
  public LongDocumentStrategy {
    checkArgument(windowTokens >= 8, "windowTokens must be at least 8, got %s", windowTokens);
    checkArgument(
        strideTokens >= 1 && strideTokens <= windowTokens,
        "strideTokens %s must be in [1, windowTokens=%s]",
        strideTokens,
        windowTokens);
    checkArgument(maxWindows >= 1, "maxWindows must be positive, got %s", maxWindows);
  }

  /**
   * MaxP over windows of {@code windowTokens} tokens that start {@code strideTokens} apart (they
   * overlap when the stride is smaller than the window), up to 64 windows.
   *
   * @param windowTokens tokens of document text per window, at least 8
   * @param strideTokens tokens between window starts, in {@code [1, windowTokens]}
   * @return the strategy
   * @throws IllegalArgumentException if either is outside its range
   */
  public static LongDocumentStrategy maxP(int windowTokens, int strideTokens) {
    return new LongDocumentStrategy(windowTokens, strideTokens, 64);
  }

  /** {@return MaxP with 400-token windows and a 200-token stride, up to 64 windows} */
  public static LongDocumentStrategy defaults() {
    return maxP(400, 200);
  }

  /**
   * Only the first window is scored: a document is cut after {@code windowTokens} tokens.
   *
   * @param windowTokens tokens of document text read, at least 8
   * @return the strategy
   * @throws IllegalArgumentException if {@code windowTokens} is less than 8
   */
  public static LongDocumentStrategy firstWindowOnly(int windowTokens) {
    return new LongDocumentStrategy(windowTokens, windowTokens, 1);
  }
}
