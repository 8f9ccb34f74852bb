package io.github.r2r.generate;

import static com.google.common.base.Preconditions.checkArgument;

import io.github.r2r.text.InputSequence;

/** An encoder input for a reason and the kind of reason to write about it. */
public record ReasonInput(ReasonKind kind, InputSequence sequence) {
  public ReasonInput {
    checkArgument(kind != null, "reason kind is null");
    checkArgument(sequence != null, "input sequence is null");
  }
}
