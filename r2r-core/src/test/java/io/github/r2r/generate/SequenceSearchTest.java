package io.github.r2r.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SequenceSearchTest {
  private static final long START = 0;
  private static final long END = 1;
  private static final long OTHER_START = 2;

  /**
   * A scorer whose next-token distribution is a fixed pseudo-random function of the whole prefix, so
   * it behaves like a model with memory and can be replayed; it tracks its rows through select() the
   * way the decoder cache must.
   */
  static final class PrefixScorer implements TokenScorer {
    private final int vocab;
    private final double endBias;
    private List<List<Long>> rows = new ArrayList<>();
    /** Each row's input: its distributions depend on it as well as on the prefix. */
    private List<Long> seeds = new ArrayList<>();

    PrefixScorer(int vocab, long seed, double endBias) {
      this(vocab, new long[] {seed}, endBias);
    }

    /** One row per input seed. */
    PrefixScorer(int vocab, long[] inputSeeds, double endBias) {
      this.vocab = vocab;
      this.endBias = endBias;
      for (long seed : inputSeeds) {
        rows.add(new ArrayList<>());
        seeds.add(seed);
      }
    }

    @Override
    public float[][] next(long[] lastTokens) {
      assertEquals(rows.size(), lastTokens.length, "rows fed");
      float[][] out = new float[lastTokens.length][];
      for (int r = 0; r < lastTokens.length; r++) {
        rows.get(r).add(lastTokens[r]);
        out[r] = distribution(seeds.get(r), rows.get(r));
      }
      return out;
    }

    float[] distribution(long seed, List<Long> prefix) {
      Random random = new Random(seed * 31 + prefix.hashCode());
      double[] logits = new double[vocab];
      for (int v = 0; v < vocab; v++) {
        logits[v] = random.nextGaussian() * 2;
      }
      logits[(int) END] += endBias * prefix.size();
      double max = Arrays.stream(logits).max().orElseThrow();
      double sum = 0;
      for (double l : logits) {
        sum += Math.exp(l - max);
      }
      float[] logProbs = new float[vocab];
      for (int v = 0; v < vocab; v++) {
        logProbs[v] = (float) (logits[v] - max - Math.log(sum));
      }
      return logProbs;
    }

    @Override
    public void select(int[] keep) {
      List<List<Long>> next = new ArrayList<>();
      List<Long> nextSeeds = new ArrayList<>();
      for (int r : keep) {
        next.add(new ArrayList<>(rows.get(r)));
        nextSeeds.add(seeds.get(r));
      }
      rows = next;
      seeds = nextSeeds;
    }
  }

  @Property(tries = 100)
  void decodingInputsTogetherGivesWhatEachGivesAlone(
      @ForAll @IntRange(min = 3, max = 30) int vocab,
      @ForAll @Size(min = 1, max = 5) List<Long> inputSeeds,
      @ForAll @IntRange(min = 1, max = 4) int beams,
      @ForAll @IntRange(min = 0, max = 3) int noRepeat,
      @ForAll @IntRange(min = 1, max = 20) int maxTokens) {
    DecodingOptions options = new DecodingOptions(beams, maxTokens, noRepeat, 1.0);
    long[] seeds = inputSeeds.stream().mapToLong(Long::longValue).toArray();
    // Inputs start from one of two start tokens (as pointwise and comparative reasons do); neither is
    // ever generated.
    long[] starts = new long[seeds.length];
    for (int i = 0; i < starts.length; i++) {
      starts[i] = i % 2 == 0 ? START : OTHER_START;
    }
    long[] banned = {START, OTHER_START};
    List<long[]> together =
        SequenceSearch.search(new PrefixScorer(vocab, seeds, 0.3), starts, END, banned, options);
    assertEquals(seeds.length, together.size());
    for (int i = 0; i < seeds.length; i++) {
      long[] alone = SequenceSearch.search(
          new PrefixScorer(vocab, seeds[i], 0.3), new long[] {starts[i]}, END, banned, options).get(0);
      for (long token : alone) {
        assertTrueThat(token != START && token != OTHER_START, "a start token was generated");
      }
      assertArrayEquals(alone, together.get(i), "input " + i);
    }
  }

  @Property(tries = 200)
  void beamSearchWithOneBeamIsGreedy(
      @ForAll @IntRange(min = 3, max = 40) int vocab,
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 4) int noRepeat,
      @ForAll @IntRange(min = 1, max = 30) int maxTokens) {
    DecodingOptions options = new DecodingOptions(1, maxTokens, noRepeat, 1.0);
    long[] greedy = SequenceSearch.greedy(new PrefixScorer(vocab, seed, 0.3), START, END, options);
    long[] beam = SequenceSearch.beam(new PrefixScorer(vocab, seed, 0.3), START, END, options);
    assertArrayEquals(greedy, beam);
  }

  @Property(tries = 100)
  void searchIsDeterministicAndRespectsItsLimits(
      @ForAll @IntRange(min = 3, max = 40) int vocab,
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 5) int beams,
      @ForAll @IntRange(min = 2, max = 4) int noRepeat,
      @ForAll @IntRange(min = 1, max = 25) int maxTokens) {
    DecodingOptions options = new DecodingOptions(beams, maxTokens, noRepeat, 1.0).withNoImmediateRepeat(true);
    long[] first = SequenceSearch.search(new PrefixScorer(vocab, seed, 0.2), START, END, options);
    long[] second = SequenceSearch.search(new PrefixScorer(vocab, seed, 0.2), START, END, options);
    assertArrayEquals(first, second);
    assertTrueThat(first.length <= maxTokens, "length " + first.length + " > " + maxTokens);
    for (int i = 0; i < first.length; i++) {
      assertTrueThat(first[i] != START && first[i] != END, "start or end token inside " + Arrays.toString(first));
      assertTrueThat(i == 0 || first[i] != first[i - 1], "immediate repeat in " + Arrays.toString(first));
    }
    // No n-gram twice, counting the start token in front.
    List<Long> full = new ArrayList<>();
    full.add(START);
    for (long t : first) {
      full.add(t);
    }
    List<List<Long>> seen = new ArrayList<>();
    for (int i = 0; i + noRepeat <= full.size(); i++) {
      List<Long> gram = full.subList(i, i + noRepeat);
      assertTrueThat(!seen.contains(gram), "repeated " + noRepeat + "-gram " + gram + " in " + full);
      seen.add(gram);
    }
  }

  @Test
  void beamSearchFindsTheSequenceGreedyMisses() {
    // Step 1: token 2 (p=.5) or 3 (p=.4). After 2 everything is flat; after 3 the end token is certain.
    // Greedy takes 2 and then an unlikely continuation; beam search keeps 3 and finishes with
    // log(.4) + log(1) > log(.5) + log(.25).
    TokenScorer scorer = new TableScorer();
    DecodingOptions options = new DecodingOptions(2, 5, 0, 0.0);
    assertArrayEquals(new long[] {3}, SequenceSearch.beam(scorer, START, END, options));
    long[] greedy = SequenceSearch.greedy(new TableScorer(), START, END, options.greedy());
    assertEquals(2, greedy[0]);
  }

  /** The hand-made distributions of {@link #beamSearchFindsTheSequenceGreedyMisses}. */
  private static final class TableScorer implements TokenScorer {
    private List<List<Long>> rows = new ArrayList<>(List.of(new ArrayList<>()));

    @Override
    public float[][] next(long[] lastTokens) {
      float[][] out = new float[lastTokens.length][];
      for (int r = 0; r < lastTokens.length; r++) {
        rows.get(r).add(lastTokens[r]);
        List<Long> prefix = rows.get(r);
        long last = prefix.get(prefix.size() - 1);
        if (prefix.size() == 1) {
          out[r] = logs(0, 0.05, 0.5, 0.4, 0.05);
        } else if (last == 3) {
          out[r] = logs(0, 1.0, 0, 0, 0);
        } else {
          out[r] = logs(0, 0.25, 0.25, 0.25, 0.25);
        }
      }
      return out;
    }

    @Override
    public void select(int[] keep) {
      List<List<Long>> next = new ArrayList<>();
      for (int r : keep) {
        next.add(new ArrayList<>(rows.get(r)));
      }
      rows = next;
    }

    private static float[] logs(double... p) {
      float[] out = new float[p.length];
      for (int i = 0; i < p.length; i++) {
        out[i] = (float) Math.log(p[i]);
      }
      return out;
    }
  }

  @Test
  void noRepeatNgramBansTheTokenThatWouldRepeatOne() {
    float[] row = new float[6];
    // sequence: 0 2 3 4 2 -> with n=2, "2 3" exists, so after the final 2 token 3 is banned.
    SequenceSearch.ban(row, List.of(0L, 2L, 3L, 4L, 2L), new long[] {0}, new DecodingOptions(1, 5, 2, 1.0));
    assertEquals(Float.NEGATIVE_INFINITY, row[3]);
    assertEquals(Float.NEGATIVE_INFINITY, row[0], "the start token is never generated");
    assertEquals(0f, row[2]);
    assertEquals(0f, row[4]);
    float[] noStutter = new float[6];
    SequenceSearch.ban(noStutter, List.of(0L, 2L, 3L, 4L, 2L), new long[] {0},
        new DecodingOptions(1, 5, 0, 1.0).withNoImmediateRepeat(true));
    assertEquals(Float.NEGATIVE_INFINITY, noStutter[2], "the token just generated");
    assertEquals(0f, noStutter[3]);
  }

  @Test
  void topTokensAreTheLargestInOrderWithTiesByIndex() {
    float[] row = {0.1f, 0.5f, 0.5f, Float.NEGATIVE_INFINITY, 0.9f, -2f};
    assertArrayEquals(new int[] {4, 1, 2}, SequenceSearch.topTokens(row, 3));
    assertArrayEquals(new int[] {4, 1, 2, 0, 5}, SequenceSearch.topTokens(row, 10));
  }

  @Test
  void optionsRejectNonsense() {
    assertThrows(IllegalArgumentException.class, () -> new DecodingOptions(0, 10, 3, 1.0));
    assertThrows(IllegalArgumentException.class, () -> new DecodingOptions(2, 0, 3, 1.0));
    assertThrows(IllegalArgumentException.class, () -> new DecodingOptions(2, 10, -1, 1.0));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new DecodingOptions(2, 10, 3, Double.NaN));
    assertEquals("lengthPenalty must be a finite non-negative number, got NaN", e.getMessage());
    IllegalArgumentException wide =
        assertThrows(IllegalArgumentException.class, () -> DecodingOptions.defaults().withBeamSize(1 << 30));
    assertEquals("beamSize must be in [1, 256], got 1073741824", wide.getMessage());
  }

  private static void assertTrueThat(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }
}
