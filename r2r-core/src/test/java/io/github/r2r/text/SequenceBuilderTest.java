package io.github.r2r.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SequenceBuilderTest {
  private static final long CLS = 101;
  private static final long SEP = 102;

  private static TokenizedText tokens(int n, long base) {
    long[] ids = new long[n];
    int[] starts = new int[n];
    int[] ends = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = base + i;
      starts[i] = i;
      ends[i] = i + 1;
    }
    return new TokenizedText(ids, starts, ends);
  }

  @Test
  void pairIsClsQuerySepDocSepWithTypeIds() {
    SequenceBuilder builder = new SequenceBuilder(CLS, SEP, 32);
    List<InputSequence> windows = builder.pairWindows(tokens(2, 1000), tokens(3, 2000), 400, 200, 8);
    assertEquals(1, windows.size());
    assertArrayEquals(new long[] {CLS, 1000, 1001, SEP, 2000, 2001, 2002, SEP}, windows.get(0).ids());
    assertArrayEquals(new long[] {0, 0, 0, 0, 1, 1, 1, 1}, windows.get(0).typeIds());
  }

  @Test
  void singleWindowRepeatsPrefixInEveryWindow() {
    SequenceBuilder builder = new SequenceBuilder(CLS, SEP, 8); // room for 6 = 2 prefix + 4 doc
    List<InputSequence> windows = builder.singleWindows(tokens(2, 500), tokens(6, 0), 100, 2, 10);
    // doc tokens 0..5 in windows of 4 with stride 2: [0,4) [2,6)
    assertEquals(2, windows.size());
    assertArrayEquals(new long[] {CLS, 500, 501, 0, 1, 2, 3, SEP}, windows.get(0).ids());
    assertArrayEquals(new long[] {CLS, 500, 501, 2, 3, 4, 5, SEP}, windows.get(1).ids());
  }

  @Test
  void emptyDocumentGivesOneWindow() {
    SequenceBuilder builder = new SequenceBuilder(CLS, SEP, 16);
    List<InputSequence> windows = builder.pairWindows(tokens(2, 1000), tokens(0, 0), 100, 50, 4);
    assertEquals(1, windows.size());
    assertArrayEquals(new long[] {CLS, 1000, 1001, SEP, SEP}, windows.get(0).ids());
  }

  @Property(tries = 200)
  void windowsCoverEveryTokenWithinBudget(
      @ForAll @IntRange(min = 0, max = 3000) int docLength,
      @ForAll @IntRange(min = 1, max = 40) int queryLength,
      @ForAll @IntRange(min = 16, max = 512) int maxLength,
      @ForAll @IntRange(min = 8, max = 600) int windowTokens,
      @ForAll @IntRange(min = 1, max = 600) int stride) {
    SequenceBuilder builder = new SequenceBuilder(CLS, SEP, maxLength);
    int effectiveStride = Math.min(stride, windowTokens);
    List<InputSequence> windows =
        builder.pairWindows(tokens(queryLength, 1000), tokens(docLength, 5000), windowTokens, effectiveStride, 10_000);
    boolean[] covered = new boolean[docLength];
    for (InputSequence w : windows) {
      assertTrue(w.length() <= maxLength, "window of " + w.length() + " > " + maxLength);
      for (long id : w.ids()) {
        if (id >= 5000) {
          covered[(int) (id - 5000)] = true;
        }
      }
    }
    for (int i = 0; i < docLength; i++) {
      assertTrue(covered[i], "token " + i + " of " + docLength + " is in no window");
    }
  }
}
