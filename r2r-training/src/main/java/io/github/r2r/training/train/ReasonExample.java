package io.github.r2r.training.train;

import static com.google.common.base.Preconditions.checkArgument;

import io.github.r2r.text.InputSequence;

/**
 * One supervised reason: the encoder input and the teacher's reason as token ids (no start or end
 * token).
 *
 * @param kind {@code pointwise} or {@code comparative}
 * @param qid the query it came from (for splitting train and dev by query)
 */
public record ReasonExample(String kind, String qid, InputSequence input, long[] target) {
  public static final String POINTWISE = "pointwise";
  public static final String COMPARATIVE = "comparative";

  public ReasonExample {
    checkArgument(POINTWISE.equals(kind) || COMPARATIVE.equals(kind), "unknown reason kind '%s'", kind);
    checkArgument(input != null, "input is null");
    checkArgument(target != null && target.length > 0, "a reason example needs a non-empty target");
  }
}
