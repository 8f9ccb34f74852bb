package io.github.r2r.generate;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a grounded reason ({@link DecodingOptions#maxUngroundedWords}) may write for one input once it
 * has used up its ungrounded words: the input's own tokens, the vocabulary's function words and
 * punctuation, and the end token; and words of the input finished as they are there. A piece that never
 * ends a word of the input ({@code determina}, always followed by {@code ##nts}) may only be followed by
 * a piece that follows it in the input, so that the reason does not stop at "determina", a word that is
 * nowhere in the input.
 */
final class GroundedWords {
  private final boolean[] allowed;
  private final Map<Long, Set<Long>> unfinished = new HashMap<>();
  private final Set<Long> continuations;

  /**
   * @param shared the tokens every input may use (function words, punctuation, end token), by id
   * @param ids the input's token ids; tokens from {@code copyFrom} to {@code length} are its words
   * @param continuations the vocabulary's word-continuing pieces
   */
  GroundedWords(boolean[] shared, long[] ids, int copyFrom, int length, Set<Long> notCopyable, Set<Long> continuations) {
    allowed = shared.clone();
    this.continuations = continuations;
    Set<Long> endsAWord = new HashSet<>();
    for (int i = copyFrom; i < length; i++) {
      if (notCopyable.contains(ids[i])) {
        continue;
      }
      allowed[(int) ids[i]] = true;
      boolean continued = i + 1 < length && continuations.contains(ids[i + 1]);
      if (continued) {
        unfinished.computeIfAbsent(ids[i], k -> new HashSet<>()).add(ids[i + 1]);
      } else {
        endsAWord.add(ids[i]);
      }
    }
    // A piece that also ends a word somewhere in the input may stop there.
    unfinished.keySet().removeAll(endsAWord);
  }

  /** Whether {@code token} is one a grounded reason may write: the input's, a function word's, punctuation. */
  boolean grounds(long token) {
    return allowed[(int) token];
  }

  /** Whether {@code token} continues the word before it (a WordPiece {@code ##} piece). */
  boolean continuesWord(long token) {
    return continuations.contains(token);
  }

  /**
   * Sets to -infinity, in {@code row}, every token a grounded reason may not write after {@code last}.
   *
   * @param finishingOwnWord {@code last} belongs to a word the input does not contain, begun before the
   *     limit was reached: its continuing pieces stay allowed, so that the word is finished
   */
  void restrict(long last, float[] row, boolean finishingOwnWord) {
    // A word of the decoder's own may end after any of its pieces, even one that never ends a word of the
    // input: the input's rule for finishing its words is not this word's.
    Set<Long> next = finishingOwnWord ? null : unfinished.get(last);
    for (int v = 0; v < row.length; v++) {
      boolean finishes = finishingOwnWord && continuations.contains((long) v);
      if (!finishes && (!allowed[v] || (next != null && !next.contains((long) v)))) {
        row[v] = Float.NEGATIVE_INFINITY;
      }
    }
  }
}
