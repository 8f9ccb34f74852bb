package io.github.r2r.text;

import static com.google.common.base.Preconditions.checkArgument;

/** One model input row: token ids with special tokens, and their token type ids. */
public record InputSequence(long[] ids, long[] typeIds) {
  public InputSequence {
    checkArgument(ids.length == typeIds.length, "ids (%s) and typeIds (%s) differ in length", ids.length, typeIds.length);
    checkArgument(ids.length > 0, "an input sequence needs at least one token");
  }

  public int length() {
    return ids.length;
  }
}
