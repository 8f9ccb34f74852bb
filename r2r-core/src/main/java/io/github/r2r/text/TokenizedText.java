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

  public int length() {
    return ids.length;
  }

  public long id(int i) {
    return ids[i];
  }

  public long[] ids(int from, int to) {
    return Arrays.copyOfRange(ids, from, to);
  }

  public int start(int i) {
    return starts[i];
  }

  public int end(int i) {
    return ends[i];
  }
}
