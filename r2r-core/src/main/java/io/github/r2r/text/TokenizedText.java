package io.github.r2r.text;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;

/**
 * Token ids of a text without special tokens, with the character span of each token in the original
 * text (start inclusive, end exclusive; -1 when a token maps to no characters).
 */
public final class TokenizedText {
  private final long[] ids;
  private final int[] starts;
  private final int[] ends;

  /**
   * Copies the arrays.
   *
   * @param ids the token ids
   * @param starts per token, the offset of its first char, or -1
   * @param ends per token, the offset after its last char, or -1
   * @throws IllegalArgumentException if the arrays differ in length
   */
  public TokenizedText(long[] ids, int[] starts, int[] ends) {
    checkArgument(
        ids.length == starts.length && ids.length == ends.length,
        "ids (%s), starts (%s) and ends (%s) differ in length",
        ids.length,
        starts.length,
        ends.length);
    this.ids = ids.clone();
    this.starts = starts.clone();
    this.ends = ends.clone();
  }

  /** {@return the number of tokens} */
  public int length() {
    return ids.length;
  }

  /**
   * {@return the id of token {@code i}}
   *
   * @param i the token's index, in {@code [0, length())}
   */
  public long id(int i) {
    return ids[i];
  }

  /**
   * {@return the ids of tokens {@code from} (inclusive) to {@code to} (exclusive), a copy}
   *
   * @param from the first token's index
   * @param to the index after the last token, at most {@code length()}
   */
  public long[] ids(int from, int to) {
    return Arrays.copyOfRange(ids, from, to);
  }

  /**
   * {@return the offset of token {@code i}'s first char in the text, or -1 when it maps to none}
   *
   * @param i the token's index, in {@code [0, length())}
   */
  public int start(int i) {
    return starts[i];
  }

  /**
   * {@return the offset after token {@code i}'s last char in the text, or -1 when it maps to none}
   *
   * @param i the token's index, in {@code [0, length())}
   */
  public int end(int i) {
    return ends[i];
  }
}
