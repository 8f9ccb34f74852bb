package io.github.r2r.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.github.r2r.model.RankingModel;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What {@link DecoderScorer} leaves in its call's memory scope as decoding goes on. */
class DecoderScorerTest {
  private static final int MAX_TOKENS = 48;
  private static RankingModel encoder;
  private static ReasonModel reasons;

  @BeforeAll
  static void load() throws Exception {
    encoder = ReasonDecoderProperties.tinyEncoder(5);
    reasons = ReasonModel.warmStarted(encoder, new ReasonConfig("tiny", 2, MAX_TOKENS, 48), 11);
  }

  @AfterAll
  static void close() {
    reasons.close();
    encoder.close();
  }

  /**
   * Beam-search-like decoding of two inputs, three beams each, reordered at every step and one input
   * finished halfway: the arrays alive in the call's scope after the last step are as many as a few
   * steps after that input finished, so a step's arrays, and the key/value caches and encoder-side
   * tensors a step or a select replaces, do not stay until the call ends.
   */
  @Test
  void liveArraysDoNotGrowWithTheStepsDecoded() {
    List<ReasonInput> inputs = List.of(
        reasons.pointwiseInput("first query", "one passage", 1),
        reasons.comparativeInput("second query", "another, longer passage", "and a third one", 2));
    try (NDManager scope = encoder.manager().newSubManager()) {
      ParameterStore ps = new ParameterStore(scope, false);
      DecoderState state = ReasonDecoderProperties.started(reasons, inputs, ps);
      DecoderScorer scorer = new DecoderScorer(reasons.decoder(), ps, reasons.wordTable(), null, state, scope, 0f,
          new int[][] {{}, {}}, paddedIds(inputs), null);
      long cls = encoder.tokenizer().clsId();
      scorer.next(new long[] {cls, cls});
      scorer.select(new int[] {0, 0, 0, 1, 1, 1});
      int[] rows = {0, 1, 2, 3, 4, 5};
      int steps = MAX_TOKENS - 1;
      int liveMidway = 0;
      for (int t = 1; t < steps; t++) {
        scorer.next(feed(rows.length, t));
        if (t == steps / 2) {
          rows = new int[] {2, 1, 0}; // the second input finished: its group of encoder tensors goes
        } else {
          rows = reversedWithinHalves(rows.length);
        }
        scorer.select(rows);
        if (t == steps / 2 + 2) {
          liveMidway = scope.getManagedArrays().size();
        }
      }
      assertEquals(steps, state.length());
      int liveAtTheEnd = scope.getManagedArrays().size();
      assertEquals(liveMidway, liveAtTheEnd, "arrays left alive by the last steps");
    }
  }

  /** Tokens from a small id range of the real vocabulary, different per row and step. */
  private static long[] feed(int rows, int step) {
    long[] tokens = new long[rows];
    for (int r = 0; r < rows; r++) {
      tokens[r] = 2000 + 7L * step + r;
    }
    return tokens;
  }

  /** Each half of the rows in reverse order (beams reordered within their input). */
  private static int[] reversedWithinHalves(int rows) {
    int half = rows / 2;
    int[] order = new int[rows];
    for (int r = 0; r < rows; r++) {
      order[r] = r < half ? half - 1 - r : rows - 1 - (r - half);
    }
    return order;
  }

  private static long[][] paddedIds(List<ReasonInput> inputs) {
    int width = inputs.stream().mapToInt(i -> i.sequence().length()).max().orElseThrow();
    return inputs.stream().map(i -> Arrays.copyOf(i.sequence().ids(), width)).toArray(long[][]::new);
  }
}
