package io.github.r2r;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * What happens to a document longer than the model's input: it is split into overlapping token
 * windows and scored by its best window (MaxP). With the default of one window, text past the model's
 * input length is not scored — a choice the caller makes explicitly with {@link #firstWindowOnly()}.
 *
 * @param windowTokens tokens of document text per window (the query and special tokens come on top,
 *     capped by the model's max length)
 * @param strideTokens tokens between the starts of consecutive windows
 * @param maxWindows at most this many windows per document
 */
public record LongDocumentStrategy(int windowTokens, int strideTokens, int maxWindows) {
  public LongDocumentStrategy {
    checkArgument(windowTokens >= 8, "windowTokens must be at least 8, got %s", windowTokens);
    checkArgument(
        strideTokens >= 1 && strideTokens <= windowTokens,
        "strideTokens %s must be in [1, windowTokens=%s]",
        strideTokens,
        windowTokens);
    checkArgument(maxWindows >= 1, "maxWindows must be positive, got %s", maxWindows);
  }

  /** MaxP over windows of {@code windowTokens} overlapping by half, up to 64 windows (default: 400-token windows). */
  public static LongDocumentStrategy maxP(int windowTokens, int strideTokens) {
    return new LongDocumentStrategy(windowTokens, strideTokens, 64);
  }

  /** MaxP with 400-token windows and a 200-token stride. */
  public static LongDocumentStrategy defaults() {
    return maxP(400, 200);
  }

  /** Only the first window is scored: a document is cut after {@code windowTokens} tokens. */
  public static LongDocumentStrategy firstWindowOnly(int windowTokens) {
    return new LongDocumentStrategy(windowTokens, windowTokens, 1);
  }
}
