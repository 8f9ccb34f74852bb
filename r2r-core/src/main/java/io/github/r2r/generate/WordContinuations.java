package io.github.r2r.generate;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Where the word pieces of one input may go: for each piece of the input that continues a word
 * ({@code ##nts}), the tokens it follows in the input. {@link #ban} forbids such a piece after any other
 * token of the input, so that a copying decoder quotes input words whole instead of gluing the tail of
 * one onto another ("social" + "##minants" = "socialminants").
 *
 * <p>After a token the input does not contain, every piece stays allowed: the decoder is then spelling a
 * word of its own vocabulary, which this rule knows nothing about.
 */
final class WordContinuations {
  private final Map<Long, Set<Long>> predecessors = new HashMap<>();
  private final Set<Long> inputTokens = new HashSet<>();

  /**
   * @param ids the input's token ids; only the first {@code length} are read
   * @param continuations the vocabulary's word-continuing pieces
   */
  WordContinuations(long[] ids, int length, Set<Long> continuations) {
    for (int i = 0; i < length; i++) {
      inputTokens.add(ids[i]);
      if (i > 0 && continuations.contains(ids[i])) {
        predecessors.computeIfAbsent(ids[i], k -> new HashSet<>()).add(ids[i - 1]);
      }
    }
  }

  /** Sets to -infinity, in {@code row}, each continuing piece of the input that never follows {@code last} there. */
  void ban(long last, float[] row) {
    if (!inputTokens.contains(last)) {
      return;
    }
    for (Map.Entry<Long, Set<Long>> piece : predecessors.entrySet()) {
      if (!piece.getValue().contains(last)) {
        row[(int) (long) piece.getKey()] = Float.NEGATIVE_INFINITY;
      }
    }
  }
}
