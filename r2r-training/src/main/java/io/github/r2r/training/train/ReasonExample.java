package io.github.r2r.training.train;

import static com.google.common.base.Preconditions.checkArgument;

import io.github.r2r.generate.ReasonInput;
import io.github.r2r.generate.ReasonKind;

/**
 * One supervised reason: the encoder input (with the kind of reason) and the teacher's reason as token
 * ids (no start or end token).
 *
 * @param qid the query it came from (for splitting train and dev by query)
 */
public record ReasonExample(String qid, ReasonInput input, long[] target) {
  public ReasonExample {
    checkArgument(input != null, "input is null");
    checkArgument(target != null && target.length > 0, "a reason example needs a non-empty target");
  }

  public ReasonKind kind() {
    return input.kind();
  }
}
