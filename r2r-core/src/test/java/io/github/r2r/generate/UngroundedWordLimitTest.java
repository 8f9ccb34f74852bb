package io.github.r2r.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * {@link UngroundedWordLimit} over a hand-made vocabulary: tokens 0-2 are start and end tokens, 3-5
 * function words, 6-29 word starts, 30-39 word-continuing pieces; each input holds a few of them.
 */
class UngroundedWordLimitTest {
  private static final long START = 0;
  private static final long END = 1;
  private static final long OTHER_START = 2;
  private static final int VOCAB = 40;
  private static final Set<Long> CONTINUATIONS = new HashSet<>();

  static {
    for (long v = 30; v < VOCAB; v++) {
      CONTINUATIONS.add(v);
    }
  }

  /** What every input may write: the end token and the function words. */
  private static boolean[] shared() {
    boolean[] shared = new boolean[VOCAB];
    shared[(int) END] = true;
    shared[3] = shared[4] = shared[5] = true;
    return shared;
  }

  /** An input of {@code length} tokens drawn from the word starts and pieces, by {@code seed}. */
  private static long[] input(long seed, int length) {
    java.util.Random random = new java.util.Random(seed);
    long[] ids = new long[length];
    for (int i = 0; i < length; i++) {
      ids[i] = 6 + random.nextInt(VOCAB - 6);
    }
    return ids;
  }

  private static GroundedWords grounded(long[] ids) {
    return new GroundedWords(shared(), ids, 0, ids.length, Set.of(), CONTINUATIONS);
  }

  /**
   * Words of {@code out} (a token and the continuing pieces after it) that contain a token neither the
   * input nor the shared tokens hold: counted here word by word, independently of the class's own
   * token-by-token count.
   */
  private static int ungroundedWords(long[] out, long[] input) {
    Set<Long> allowed = new HashSet<>();
    for (long id : input) {
      allowed.add(id);
    }
    boolean[] shared = shared();
    int words = 0;
    boolean current = false;
    for (int i = 0; i < out.length; i++) {
      boolean startsWord = i == 0 || !CONTINUATIONS.contains(out[i]);
      if (startsWord) {
        words += current ? 1 : 0;
        current = false;
      }
      current |= !allowed.contains(out[i]) && !shared[(int) out[i]];
    }
    return words + (current ? 1 : 0);
  }

  private static List<long[]> decode(long[] seeds, long[][] inputs, int beams, int maxTokens, int limit) {
    long[] starts = new long[seeds.length];
    GroundedWords[] words = new GroundedWords[seeds.length];
    for (int i = 0; i < seeds.length; i++) {
      starts[i] = i % 2 == 0 ? START : OTHER_START;
      words[i] = grounded(inputs[i]);
    }
    TokenScorer scorer = new SequenceSearchTest.PrefixScorer(VOCAB, seeds, 0.1);
    if (limit != DecodingOptions.UNLIMITED) {
      scorer = new UngroundedWordLimit(scorer, words, limit);
    }
    DecodingOptions options = new DecodingOptions(beams, maxTokens, 0, 1.0);
    return SequenceSearch.search(scorer, starts, END, new long[] {START, OTHER_START}, options);
  }

  @Property(tries = 300)
  void noReasonWritesMoreUngroundedWordsThanItsLimit(
      @ForAll @LongRange(min = 0, max = 1_000_000) long seed,
      @ForAll @IntRange(min = 1, max = 3) int inputs,
      @ForAll @IntRange(min = 1, max = 4) int beams,
      @ForAll @IntRange(min = 1, max = 25) int maxTokens,
      @ForAll @IntRange(min = 0, max = 4) int limit) {
    long[] seeds = new long[inputs];
    long[][] ids = new long[inputs][];
    for (int i = 0; i < inputs; i++) {
      seeds[i] = seed + i;
      ids[i] = input(seed * 7 + i, 6);
    }
    List<long[]> outs = decode(seeds, ids, beams, maxTokens, limit);
    for (int i = 0; i < inputs; i++) {
      int ungrounded = ungroundedWords(outs.get(i), ids[i]);
      assertTrue(ungrounded <= limit, "input " + i + ": " + ungrounded + " ungrounded words, limit " + limit);
    }
  }

  @Test
  void theLimitBindsWhereTheScorerPrefersWordsOfItsOwn() {
    long[][] ids = {input(5, 6)};
    long[] seeds = {42};
    int unlimited = ungroundedWords(decode(seeds, ids, 3, 20, DecodingOptions.UNLIMITED).get(0), ids[0]);
    // Six input tokens out of 40: left alone, this scorer writes mostly words the input does not hold.
    assertTrue(unlimited >= 5, "unlimited: " + unlimited);
    for (int limit : new int[] {0, 1, 2}) {
      assertEquals(limit, ungroundedWords(decode(seeds, ids, 3, 20, limit).get(0), ids[0]), "limit " + limit);
    }
  }

  /** Decodes greedily, under {@code limit}, from a scorer that wants {@code wanted} in turn (then the end). */
  private static long[] scripted(long[] input, int limit, long... wanted) {
    TokenScorer script = new ScriptedScorer(VOCAB, END, wanted);
    TokenScorer limited = new UngroundedWordLimit(script, new GroundedWords[] {grounded(input)}, limit);
    return SequenceSearch.search(limited, new long[] {START}, END, new long[] {START}, new DecodingOptions(1, 10, 0, 1.0))
        .get(0);
  }

  @Test
  void aWordBegunWithinTheLimitIsFinishedAfterIt() {
    // The input grounds token 6 only. 7 + 30 is one word of the scorer's own, the one the limit allows;
    // its piece 30 is written after the limit is reached.
    org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {7, 30, 6}, scripted(new long[] {6}, 1, 7, 30, 6));
  }

  @Test
  void aWordOfSeveralPiecesCountsOnce() {
    // 7 + 30 + 31 is one word, 8 a second: a limit of 2 allows both.
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        new long[] {7, 30, 31, 8}, scripted(new long[] {6}, 2, 7, 30, 31, 8));
    // A grounded word continued by a piece the input does not hold (6 + 30) is a word of its own and uses
    // up a limit of 1: 8 is then refused, and the end token, the best of what is left (ties go to the
    // lower id), ends the reason.
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        new long[] {6, 30, 6}, scripted(new long[] {6}, 1, 6, 30, 6, 8));
  }

  @Test
  void aWordOfItsOwnMayEndAfterAPieceThatNeverEndsAWordOfTheInput() {
    // In the input, piece 31 is always followed by 32; in the decoder's own word 7 + 31 it may end the word.
    org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {7, 31}, scripted(new long[] {6, 31, 32}, 1, 7, 31));
  }

  @Test
  void aNegativeLimitIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new UngroundedWordLimit(new SequenceSearchTest.PrefixScorer(VOCAB, 1, 0.1), new GroundedWords[] {grounded(new long[] {6})}, -1));
  }
}
