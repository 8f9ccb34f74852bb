package io.github.r2r.generate;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Where the word pieces of one input may go, so that a copying decoder quotes input words whole:
 *
 * <ul>
 *   <li>a piece of the input that continues a word ({@code ##nts}) may only follow a token it follows
 *       in the input, instead of gluing the tail of one word onto another ("social" + "##minants" =
 *       "socialminants");
 *   <li>a token of the input that never ends a word there (the "vacci" of "vaccines") must be followed
 *       by a piece that follows it there, instead of being left unfinished ("vacci system").
 * </ul>
 *
 * <p>After a token the input does not contain, every piece stays allowed: the decoder is then spelling a
 * word of its own vocabulary, which this rule knows nothing about.
 */
final class WordContinuations {
  private final Map<Long, Set<Long>> predecessors = new HashMap<>();
  /** For each token of the input that never ends a word there: the pieces that follow it there. */
  private final Map<Long, long[]> unfinished = new HashMap<>();
  private final Set<Long> inputTokens = new HashSet<>();

  /**
   * @param ids the input's token ids; only the first {@code length} are read
   * @param continuations the vocabulary's word-continuing pieces
   */
  WordContinuations(long[] ids, int length, Set<Long> continuations) {
    Map<Long, Set<Long>> followers = new HashMap<>();
    Set<Long> endsAWord = new HashSet<>();
    for (int i = 0; i < length; i++) {
      inputTokens.add(ids[i]);
      if (i > 0 && continuations.contains(ids[i])) {
        predecessors.computeIfAbsent(ids[i], k -> new HashSet<>()).add(ids[i - 1]);
      }
      if (i + 1 < length && continuations.contains(ids[i + 1])) {
        followers.computeIfAbsent(ids[i], k -> new HashSet<>()).add(ids[i + 1]);
      } else {
        endsAWord.add(ids[i]);
      }
    }
    followers.forEach((token, pieces) -> {
      if (!endsAWord.contains(token)) {
        unfinished.put(token, pieces.stream().mapToLong(Long::longValue).toArray());
      }
    });
  }

  /**
   * Sets to -infinity, in {@code row}, each continuing piece of the input that never follows {@code
   * last} there, and, when {@code last} never ends a word of the input, every token but the pieces
   * that follow it there.
   */
  void ban(long last, float[] row) {
    if (!inputTokens.contains(last)) {
      return;
    }
    long[] finishing = unfinished.get(last);
    if (finishing != null) {
      // keep the few allowed scores, ban the rest of the vocabulary in one fill (a decoding hot path)
      float[] kept = new float[finishing.length];
      for (int i = 0; i < finishing.length; i++) {
        kept[i] = row[(int) finishing[i]];
      }
      Arrays.fill(row, Float.NEGATIVE_INFINITY);
      for (int i = 0; i < finishing.length; i++) {
        row[(int) finishing[i]] = kept[i];
      }
      return;
    }
    for (Map.Entry<Long, Set<Long>> piece : predecessors.entrySet()) {
      if (!piece.getValue().contains(last)) {
        row[(int) (long) piece.getKey()] = Float.NEGATIVE_INFINITY;
      }
    }
  }
}
