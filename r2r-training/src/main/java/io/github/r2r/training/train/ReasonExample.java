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
 */
public record ReasonExample(String qid, ReasonInput input, long[] target) {
  public ReasonExample {
    checkArgument(input != null, "input is null");
    checkArgument(target != null && target.length > 0, "a reason example needs a non-empty target");
    target = target.clone();
  }

  public ReasonKind kind() {
    return input.kind();
  }

  /** A copy of the target's token ids. */
  @Override
  public long[] target() {
    return target.clone();
  }

  public int targetLength() {
    return target.length;
  }

  /** Copies the target's {@link #targetLength()} token ids into {@code destination} from {@code offset} on. */
  public void copyTargetInto(long[] destination, int offset) {
    System.arraycopy(target, 0, destination, offset, target.length);
  }
}
