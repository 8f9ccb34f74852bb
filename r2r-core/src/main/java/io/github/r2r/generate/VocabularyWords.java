package io.github.r2r.generate;

import io.github.r2r.eval.Groundedness;
import io.github.r2r.eval.StopWords;
import io.github.r2r.text.TextTokenizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The decoder's vocabulary read as words, for rules that count the words of a reason: which pieces
 * continue a word (WordPiece {@code ##} pieces), the text each piece adds, and which pieces are a
 * whole content word on their own. Content words are compared as the evaluation compares them ({@link
 * StopWords#contentWords}, {@link Groundedness#wordKey}), so a rule and the measure it serves agree on
 * what "the same word" is.
 */
final class VocabularyWords {
  private final boolean[] continues;
  private final Set<Long> continuations;
  private final String[] texts;
  private final Map<String, long[]> oneTokenWords;

  /**
   * @param pieces every vocabulary entry decoded alone, continuation pieces with their {@code ##},
   *     special tokens empty ({@link TextTokenizer#pieces}): an empty piece is never a word
   */
  VocabularyWords(String[] pieces) {
    continues = new boolean[pieces.length];
    Set<Long> continuing = new HashSet<>();
    texts = new String[pieces.length];
    Map<String, List<Long>> byKey = new HashMap<>();
    for (int id = 0; id < pieces.length; id++) {
      String piece = pieces[id];
      continues[id] = TextTokenizer.continuesWord(piece);
      if (continues[id]) {
        continuing.add((long) id);
      }
      texts[id] = (continues[id] ? piece.substring(2) : piece).toLowerCase(Locale.ROOT);
      String key = continues[id] ? null : contentKey(texts[id]);
      if (key != null) {
        byKey.computeIfAbsent(key, k -> new ArrayList<>()).add((long) id);
      }
    }
    continuations = Collections.unmodifiableSet(continuing);
    oneTokenWords = new HashMap<>();
    byKey.forEach((key, ids) -> oneTokenWords.put(key, ids.stream().mapToLong(Long::longValue).toArray()));
  }

  /** Whether {@code token} continues the word before it rather than starting one. */
  boolean continuesWord(long token) {
    return continues[(int) token];
  }

  /**
   * The ids of the pieces that continue a word, as {@link TextTokenizer#wordContinuations}
   * gives them; empty for a vocabulary without {@code ##} pieces.
   */
  Set<Long> continuations() {
    return continuations;
  }

  /** The lower-cased text {@code token} adds to its word ({@code ##} removed). */
  String text(long token) {
    return texts[(int) token];
  }

  /** The pieces that write the content word {@code key} on their own ({@code flea}, {@code fleas}); may be empty. */
  long[] oneTokenSpellings(String key) {
    return oneTokenWords.getOrDefault(key, new long[0]);
  }

  /**
   * The key under which {@code word} (lower-cased) is counted, or null when it is not a content word (a
   * stop word, punctuation, or not a single word).
   */
  static String contentKey(String word) {
    List<String> words = StopWords.contentWords(word);
    return words.size() == 1 ? Groundedness.wordKey(words.get(0)) : null;
  }
}
