package io.github.r2r.training.teacher;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Tokens a chat-completions server reported for one or more calls: prompt (input) and completion
 * (output) tokens, which providers price differently.
 */
public record TokenUsage(long promptTokens, long completionTokens) {
  public static final TokenUsage NONE = new TokenUsage(0, 0);

  public TokenUsage {
    checkArgument(promptTokens >= 0, "promptTokens must be >= 0, got %s", promptTokens);
    checkArgument(completionTokens >= 0, "completionTokens must be >= 0, got %s", completionTokens);
  }

  public long totalTokens() {
    return promptTokens + completionTokens;
  }

  public TokenUsage plus(TokenUsage other) {
    return new TokenUsage(
        promptTokens + other.promptTokens, completionTokens + other.completionTokens);
  }

  /**
   * The price of these tokens given prices in currency units per million tokens, the way providers
   * publish them.
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
