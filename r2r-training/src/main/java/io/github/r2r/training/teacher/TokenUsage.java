package io.github.r2r.training.teacher;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Tokens a chat-completions server reported for one or more calls: prompt (input) and completion
 * (output) tokens, which providers price differently.
 *
 * @param promptTokens input tokens, non-negative
 * @param completionTokens output tokens, non-negative
 */
public record TokenUsage(long promptTokens, long completionTokens) {
  /** No tokens. */
  public static final TokenUsage NONE = new TokenUsage(0, 0);

  /**
   * Checks the counts.
   *
   * @param promptTokens input tokens, non-negative
   * @param completionTokens output tokens, non-negative
   * @throws IllegalArgumentException if a count is negative
   */
  public TokenUsage {
    checkArgument(promptTokens >= 0, "promptTokens must be >= 0, got %s", promptTokens);
    checkArgument(completionTokens >= 0, "completionTokens must be >= 0, got %s", completionTokens);
  }

  /** {@return prompt plus completion tokens} */
  public long totalTokens() {
    return promptTokens + completionTokens;
  }

  /**
   * The usage of both.
   *
   * @param other another usage
   * @return the sums of the two counts
   */
  public TokenUsage plus(TokenUsage other) {
    return new TokenUsage(
        promptTokens + other.promptTokens, completionTokens + other.completionTokens);
  }

  /**
   * The price of these tokens given prices in currency units per million tokens, the way providers
   * publish them.
   *
   * @param pricePerMillionPromptTokens price of a million prompt tokens, non-negative
   * @param pricePerMillionCompletionTokens price of a million completion tokens, non-negative
   * @return the cost in the same currency units
   * @throws IllegalArgumentException if a price is negative
   */
  public double cost(double pricePerMillionPromptTokens, double pricePerMillionCompletionTokens) {
    checkArgument(
        pricePerMillionPromptTokens >= 0,
        "prompt token price must be >= 0, got %s",
        pricePerMillionPromptTokens);
    checkArgument(
        pricePerMillionCompletionTokens >= 0,
        "completion token price must be >= 0, got %s",
        pricePerMillionCompletionTokens);
    return (promptTokens * pricePerMillionPromptTokens
            + completionTokens * pricePerMillionCompletionTokens)
        / 1_000_000.0;
  }
}
