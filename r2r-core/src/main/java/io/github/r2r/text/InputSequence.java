package io.github.r2r.text;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * One model input row: token ids with special tokens, and their token type ids.
 *
 * @param ids the token ids, special tokens included; not copied, so not to be changed afterwards
 * @param typeIds the token type (segment) of each token: 0 for the first segment, 1 for the second
 */
public record InputSequence(long[] ids, long[] typeIds) {
  /**
   * Checks the lengths.
   *
   * @param ids the token ids
   * @param typeIds one token type per id
   * @throws IllegalArgumentException if the arrays differ in length or are empty
   */
  public InputSequence {
    checkArgument(ids.length == typeIds.length, "ids (%s) and typeIds (%s) differ in length", ids.length, typeIds.length);
    checkArgument(ids.length > 0, "an input sequence needs at least one token");
  }

  /** {@return the number of tokens} */
  public int length() {
    return ids.length;
  }
}
