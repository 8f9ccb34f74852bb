package io.github.r2r.generate;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableMap;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link TokenScorer} that lets each row write one content word at most {@code limit} times
 * ({@link DecodingOptions#maxWordOccurrences}): once a word has been written that often, the pieces
 * that spell it on their own may no longer start a word. A copying decoder otherwise circles on the
 * query's words ("the life of flea cycle of a flea of the flea").
 *
 * <p>Words are the reason's WordPiece words (a start piece and its {@code ##} pieces), compared as
 * the evaluation compares them ({@link VocabularyWords#contentKey}): {@code fleas} is {@code flea}
 * again. A word counts when it is finished, and the word being written counts already, since any
 * piece that starts a word finishes it. Only one-piece spellings are refused, so a word the
 * vocabulary spells in several pieces can exceed the limit ("bsn and bsn ... of bsn"); most words a
 * reason repeats (the query's) are one piece in BERT's vocabulary. Refusing the piece that would
 * finish such a word could leave a row nothing to write where whole-word copies allow only that piece.
 */
final class WordRepeatLimit implements TokenScorer {
  private final TokenScorer scorer;
  private final VocabularyWords vocabulary;
  private final int limit;
  /** Per row, how often each finished content word occurs in it (shared between rows, never changed). */
  private Map<String, Integer>[] counts;
  /** Per row, the lower-cased text of the word being written, or null after a non-word token. */
  private String[] current;
  /** Whether {@link #next} has been called: the first tokens it is given are start tokens, not words. */
  private boolean started;

  /**
   * @param scorer the scorer whose rows this limits
   * @param rows how many rows {@code scorer} starts with
   * @param vocabulary the decoder's vocabulary as words
   * @param limit the most times one content word may occur in a row, at least 1
   */
  @SuppressWarnings("unchecked")
  WordRepeatLimit(TokenScorer scorer, int rows, VocabularyWords vocabulary, int limit) {
    checkArgument(limit >= 1, "limit must be at least 1, got %s", limit);
    this.scorer = scorer;
    this.vocabulary = vocabulary;
    this.limit = limit;
    this.counts = new Map[rows];
    Arrays.fill(counts, ImmutableMap.of());
    this.current = new String[rows];
  }

  @Override
  public float[][] next(long[] lastTokens) {
    float[][] rows = scorer.next(lastTokens);
    for (int r = 0; r < rows.length; r++) {
      if (started) {
        append(r, lastTokens[r]);
      }
      refuseWordsAtTheLimit(r, rows[r]);
    }
    started = true;
    return rows;
  }

  private void append(int r, long token) {
    if (vocabulary.continuesWord(token)) {
      if (current[r] != null) {
        current[r] += vocabulary.text(token);
      }
      return;
    }
    counts[r] = withWord(counts[r], current[r]);
    String text = vocabulary.text(token);
    current[r] = text.isEmpty() ? null : text;
  }

  private void refuseWordsAtTheLimit(int r, float[] row) {
    // Any piece that starts a word finishes the current one, so the current one is counted here too.
    Map<String, Integer> occurrences = withWord(counts[r], current[r]);
    for (Map.Entry<String, Integer> word : occurrences.entrySet()) {
      if (word.getValue() >= limit) {
        for (long token : vocabulary.oneTokenSpellings(word.getKey())) {
          row[(int) token] = Float.NEGATIVE_INFINITY;
        }
      }
    }
  }

  /** {@code counts} with one more occurrence of {@code word} if it is a content word; else {@code counts}. */
  private static Map<String, Integer> withWord(Map<String, Integer> counts, String word) {
    String key = word == null ? null : VocabularyWords.contentKey(word);
    if (key == null) {
      return counts;
    }
    Map<String, Integer> out = new HashMap<>(counts);
    out.merge(key, 1, Integer::sum);
    return out;
  }

  @Override
  @SuppressWarnings("unchecked")
  public void select(int[] rows) {
    Map<String, Integer>[] nextCounts = new Map[rows.length];
    String[] nextCurrent = new String[rows.length];
    for (int i = 0; i < rows.length; i++) {
      nextCounts[i] = counts[rows[i]];
      nextCurrent[i] = current[rows[i]];
    }
    counts = nextCounts;
    current = nextCurrent;
    scorer.select(rows);
  }
}
