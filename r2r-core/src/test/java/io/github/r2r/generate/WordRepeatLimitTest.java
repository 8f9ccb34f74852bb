package io.github.r2r.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** {@link WordRepeatLimit} over a hand-made WordPiece vocabulary. */
class WordRepeatLimitTest {
  private static final String[] PIECES = {
    // Special tokens decode to "" (TextTokenizer.pieces): the start tokens 0 and 2 and the end token 1.
    "", "", "", "the", "of", ".", "flea", "fleas", "cycle", "life", "dog", "bus", "cat", "##s", "##ter", "sep"
  };
  private static final long START = 0;
  private static final long END = 1;
  private static final long OTHER_START = 2;
  private static final VocabularyWords VOCABULARY = new VocabularyWords(PIECES);
  /** The content words this vocabulary spells in one piece, folded as the evaluation folds them. */
  private static final Set<String> ONE_PIECE_WORDS = Set.of("flea", "cycle", "life", "dog", "bus", "cat", "sep");

  /**
   * How often each content word with a one-piece spelling occurs in {@code out}: words rebuilt from the
   * pieces and compared lower-cased, stop words ("the", "of") left out, a final s dropped on words over
   * three letters; counted here independently of the class's own bookkeeping.
   */
  private static Map<String, Integer> occurrences(long[] out) {
    Map<String, Integer> counts = new HashMap<>();
    StringBuilder word = new StringBuilder();
    for (int i = 0; i <= out.length; i++) {
      boolean continues = i < out.length && PIECES[(int) out[i]].startsWith("##");
      if (continues) {
        word.append(PIECES[(int) out[i]].substring(2));
        continue;
      }
      String w = word.toString();
      String key = w.length() > 3 && w.endsWith("s") ? w.substring(0, w.length() - 1) : w;
      if (ONE_PIECE_WORDS.contains(key)) {
        counts.merge(key, 1, Integer::sum);
      }
      word.setLength(0);
      if (i < out.length) {
        word.append(PIECES[(int) out[i]]);
      }
    }
    return counts;
  }

  private static List<long[]> decode(long[] seeds, int beams, int maxTokens, int limit) {
    long[] starts = new long[seeds.length];
    for (int i = 0; i < seeds.length; i++) {
      starts[i] = i % 2 == 0 ? START : OTHER_START;
    }
    TokenScorer scorer = new SequenceSearchTest.PrefixScorer(PIECES.length, seeds, 0.05);
    if (limit != DecodingOptions.UNLIMITED) {
      scorer = new WordRepeatLimit(scorer, seeds.length, VOCABULARY, limit);
    }
    return SequenceSearch.search(
        scorer, starts, END, new long[] {START, OTHER_START}, new DecodingOptions(beams, maxTokens, 0, 1.0));
  }

  @Property(tries = 300)
  void noContentWordOccursMoreOftenThanTheLimit(
      @ForAll @LongRange(min = 0, max = 1_000_000) long seed,
      @ForAll @IntRange(min = 1, max = 3) int inputs,
      @ForAll @IntRange(min = 1, max = 4) int beams,
      @ForAll @IntRange(min = 1, max = 30) int maxTokens,
      @ForAll @IntRange(min = 1, max = 3) int limit) {
    long[] seeds = new long[inputs];
    for (int i = 0; i < inputs; i++) {
      seeds[i] = seed + i;
    }
    List<long[]> outs = decode(seeds, beams, maxTokens, limit);
    for (int i = 0; i < inputs; i++) {
      for (Map.Entry<String, Integer> word : occurrences(outs.get(i)).entrySet()) {
        assertTrue(word.getValue() <= limit,
            "input " + i + ": '" + word.getKey() + "' " + word.getValue() + " times, limit " + limit + ": "
                + Arrays.toString(outs.get(i)));
      }
    }
  }

  @Test
  void withoutTheLimitThisScorerRepeatsWords() {
    // So that the property above is not met trivially: 12 of 16 tokens are content-word pieces.
    int most = 0;
    for (long seed = 0; seed < 20; seed++) {
      for (int count : occurrences(decode(new long[] {seed}, 2, 30, DecodingOptions.UNLIMITED).get(0)).values()) {
        most = Math.max(most, count);
      }
    }
    assertTrue(most >= 3, "most occurrences of one word without a limit: " + most);
  }

  /** Decodes greedily, under {@code limit}, from a scorer that wants {@code wanted} in turn (then the end). */
  private static long[] scripted(int limit, long... wanted) {
    TokenScorer script = new ScriptedScorer(PIECES.length, END, wanted);
    TokenScorer limited = new WordRepeatLimit(script, 1, VOCABULARY, limit);
    return SequenceSearch.search(limited, new long[] {START}, END, new long[] {START}, new DecodingOptions(1, 12, 0, 1.0))
        .get(0);
  }

  @Test
  void aThirdFleaIsRefusedUnderALimitOfTwoAndFleasIsFleaAgain() {
    // "flea cycle of fleas of flea": the third (fleas = flea) is refused; the end token, the best of
    // what is left (ties go to the lower id), ends the reason.
    assertArrayEquals(new long[] {6, 8, 4, 7, 4}, scripted(2, 6, 8, 4, 7, 4, 6));
    // Stop words are never limited: "the" three times under a limit of 1.
    assertArrayEquals(new long[] {3, 6, 3, 8, 3}, scripted(1, 3, 6, 3, 8, 3));
  }

  @Test
  void theEndTokenIsNoWordAndIsNeverRefused() {
    // "sep sep" under a limit of 2; then the end token (special, empty) ends the reason.
    assertArrayEquals(new long[] {15, 15}, scripted(2, 15, 15, END));
    assertArrayEquals(new long[0], VOCABULARY.oneTokenSpellings(""));
  }

  @Test
  void theWordBeingWrittenCountsAndItsPiecesMayFinishIt() {
    // "cat" + "##s" is the word being written when "cat" is wanted again under a limit of 1: refused.
    assertArrayEquals(new long[] {12, 13}, scripted(1, 12, 13, 12));
    // Pieces of a word are not words: "bus" + "##ter" + "##s" is written whole, and "buster" is not "bus".
    assertArrayEquals(new long[] {11, 14, 13, 11}, scripted(1, 11, 14, 13, 11));
  }

  @Test
  void theVocabularyKnowsWhichPiecesSpellAWordAlone() {
    assertArrayEquals(new long[] {6, 7}, VOCABULARY.oneTokenSpellings("flea"));
    assertArrayEquals(new long[0], VOCABULARY.oneTokenSpellings("the"));
    assertArrayEquals(new long[0], VOCABULARY.oneTokenSpellings("ter"));
    assertEquals(null, VocabularyWords.contentKey("of"));
    assertEquals(null, VocabularyWords.contentKey("."));
    assertEquals("bus", VocabularyWords.contentKey("bus"));
  }

  @Test
  void aLimitBelowOneIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new WordRepeatLimit(new SequenceSearchTest.PrefixScorer(PIECES.length, 1, 0.1), 1, VOCABULARY, 0));
    assertThrows(IllegalArgumentException.class, () -> DecodingOptions.defaults().withMaxWordOccurrences(0));
  }
}
