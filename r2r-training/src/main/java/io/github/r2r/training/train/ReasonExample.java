package io.github.r2r.training.train;

import static com.google.common.base.Preconditions.checkArgument;

import io.github.r2r.generate.ReasonInput;
import io.github.r2r.generate.ReasonKind;

/**
 * One supervised reason: the encoder input (with the kind of reason) and the teacher's reason as token
 * ids (no start or end token).
 *
 * <p>Immutable: the target is copied on construction and {@link #target()} returns a copy. Batches,
 * built at every training step, read it through {@link #targetLength()} and {@link
 * #copyTargetInto}, which allocate nothing. Equality is a record's: the target compares by identity.
 *
 * @param qid the query it came from (for splitting train and dev by query)
 * @param input the encoder input, with the kind of reason
 * @param target the teacher's reason as token ids, not empty; copied
 */
public record ReasonExample(String qid, ReasonInput input, long[] target) {
  /**
   * Checks and copies the target.
   *
   * @param qid the query it came from
   * @param input the encoder input, not null
   * @param target the teacher's reason as token ids, not empty
   * @throws IllegalArgumentException if {@code input} is null or {@code target} is null or empty
   */
  public ReasonExample {
    checkArgument(input != null, "input is null");
    checkArgument(target != null && target.length > 0, "a reason example needs a non-empty target");
    target = target.clone();
  }

  /** {@return the kind of reason, as the input says} */
  public ReasonKind kind() {
    return input.kind();
  }

  /** {@return a copy of the target's token ids} */
  @Override
  public long[] target() {
    return target.clone();
  }

  /** {@return the number of the target's token ids, at least 1} */
  public int targetLength() {
    return target.length;
  }

  /**
   * Copies the target's {@link #targetLength()} token ids into {@code destination} from {@code offset} on.
   *
   * @param destination the array to fill
   * @param offset the first index written
   * @throws IndexOutOfBoundsException if {@code destination} has no room for them from {@code offset}
   */
  public void copyTargetInto(long[] destination, int offset) {
    System.arraycopy(target, 0, destination, offset, target.length);
  }
}
