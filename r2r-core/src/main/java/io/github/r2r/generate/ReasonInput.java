package io.github.r2r.generate;

import static com.google.common.base.Preconditions.checkArgument;

import io.github.r2r.text.InputSequence;

/**
 * An encoder input for a reason and the kind of reason to write about it.
 *
 * @param kind the kind of reason to write
 * @param sequence the encoder's input tokens
 * @param copyFrom the first position whose tokens the decoder may copy: positions before it hold
 *     {@code [CLS]} and the rank hint if any ({@link ReasonConfig#rankHints()}), which is not text to
 *     quote
 */
public record ReasonInput(ReasonKind kind, InputSequence sequence, int copyFrom) {
  /**
   * Checks the components.
   *
   * @param kind the kind of reason to write
   * @param sequence the encoder's input tokens
   * @param copyFrom the first position the decoder may copy from, in {@code [0, sequence.length()]}
   * @throws IllegalArgumentException if {@code kind} or {@code sequence} is null, or {@code copyFrom} is
   *     outside {@code [0, sequence.length()]}
   */
  public ReasonInput {
    checkArgument(kind != null, "reason kind is null");
    checkArgument(sequence != null, "input sequence is null");
    checkArgument(copyFrom >= 0 && copyFrom <= sequence.length(),
        "copyFrom %s is outside the input of %s tokens", copyFrom, sequence.length());
  }

  /**
   * An input whose every token may be copied (special tokens aside).
   *
   * @param kind the kind of reason to write
   * @param sequence the encoder's input tokens
   * @throws IllegalArgumentException if {@code kind} or {@code sequence} is null
   */
  public ReasonInput(ReasonKind kind, InputSequence sequence) {
    this(kind, sequence, 0);
  }
}
