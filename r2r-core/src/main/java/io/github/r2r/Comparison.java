package io.github.r2r;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Why one document of a ranking is above the next one: a generated comparative reason (see {@link
 * Explain#COMPARATIVE}).
 *
 * @param aboveId id of the upper document
 * @param belowId id of the document ranked directly below it
 * @param aboveRank 1-based rank of the upper document; the lower one is at {@code aboveRank + 1}
 * @param reason the generated reason why the upper document is above the lower one
 */
public record Comparison(String aboveId, String belowId, int aboveRank, String reason) {
  /**
   * Checks the components.
   *
   * @param aboveId id of the upper document
   * @param belowId id of the document ranked directly below it
   * @param aboveRank 1-based rank of the upper document
   * @param reason the generated reason
   * @throws IllegalArgumentException if an id or {@code reason} is null, or {@code aboveRank} is less
   *     than 1
   */
  public Comparison {
    checkArgument(aboveId != null && belowId != null, "document ids must not be null");
    checkArgument(aboveRank >= 1, "aboveRank must be at least 1, got %s", aboveRank);
    checkArgument(reason != null, "reason is null");
  }
}
