package io.github.r2r.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.r2r.model.BertConfig;
import io.github.r2r.model.HfBlock.WeightSlot;
import io.github.r2r.model.ModelConfig;
import io.github.r2r.model.Pooling;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.text.InputSequence;
import io.github.r2r.text.PaddedBatch;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The decoder's masks, on a tiny randomly initialised model: no position sees a later token, padded
 * encoder positions are invisible, and cached step-by-step decoding computes what the whole-sequence
 * forward computes.
 */
class ReasonDecoderProperties {
  static final BertConfig TINY = new BertConfig(30522, 32, 2, 2, 64, 64, 2, 1e-12f);
  private static final float TOLERANCE = 1e-4f;
  private static RankingModel encoder;
  private static ReasonModel reasons;
  /** {@link #reasons} with sharp attention over the encoder states (see its use). */
  private static ReasonModel sharp;

  static RankingModel tinyEncoder(long seed) throws Exception {
    try (InputStream in = ReasonDecoderProperties.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
      ModelConfig config = new ModelConfig("tiny", TINY, ScoringMode.BI_ENCODER, Pooling.MEAN, "q: ", "p: ", 64);
      return RankingModel.initialized(config, in.readAllBytes(), Device.cpu(), seed);
    }
  }

  @BeforeContainer
  static void load() throws Exception {
    encoder = tinyEncoder(5);
    reasons = ReasonModel.warmStarted(encoder, new ReasonConfig("tiny", 2, 16, 48), 11);
    sharp = ReasonModel.warmStarted(encoder, new ReasonConfig("tiny", 2, 16, 48), 11);
    for (Map.Entry<String, WeightSlot> slot : sharp.decoder().weightSlots().entrySet()) {
      if (slot.getKey().contains("crossattention.self.query.") || slot.getKey().contains("copy.query.")) {
        slot.getValue().parameter().getArray().muli(30);
      }
    }
  }

  @AfterContainer
  static void close() {
    sharp.close();
    reasons.close();
    encoder.close();
  }

  /** Token ids from a small id range of the real vocabulary, the start token first. */
  private static long[] withStart(List<Integer> tokens) {
    long[] ids = new long[tokens.size() + 1];
    ids[0] = encoder.tokenizer().clsId();
    for (int i = 0; i < tokens.size(); i++) {
      ids[i + 1] = 2000 + tokens.get(i);
    }
    return ids;
  }

  private static float[] logits(long[][] rows, List<InputSequence> inputs) {
    try (NDManager scope = encoder.manager().newSubManager()) {
      ParameterStore ps = new ParameterStore(scope, false);
      NDList batch = new PaddedBatch(inputs).toNDList(scope);
      NDArray memory = reasons.memory(ps, batch);
      long[] flat = new long[rows.length * rows[0].length];
      for (int r = 0; r < rows.length; r++) {
        System.arraycopy(rows[r], 0, flat, r * rows[0].length, rows[0].length);
      }
      NDArray ids = scope.create(flat, new Shape(rows.length, rows[0].length));
      return reasons.decoder()
          .logits(ps, reasons.wordTable(), ids, memory, ReasonDecoder.memoryBias(batch.get(2)), false)
          .toFloatArray();
    }
  }

  @Property(tries = 25)
  void noPositionSeesALaterToken(
      @ForAll @Size(min = 2, max = 14) List<@IntRange(min = 0, max = 500) Integer> tokens,
      @ForAll @IntRange(min = 0, max = 13) int cut,
      @ForAll @IntRange(min = 0, max = 500) int replacement) {
    int keep = Math.min(cut, tokens.size() - 1);
    long[] original = withStart(tokens);
    long[] changed = original.clone();
    for (int i = keep + 1; i < changed.length; i++) {
      changed[i] = 2000 + ((replacement + i) % 500);
    }
    InputSequence input = reasons.pointwiseInput("a query", "a passage with words", 1).sequence();
    float[] a = logits(new long[][] {original}, List.of(input));
    float[] b = logits(new long[][] {changed}, List.of(input));
    int vocab = TINY.vocabSize();
    for (int i = 0; i < (keep + 1) * vocab; i++) {
      assertEquals(a[i], b[i], 1e-5f, "position " + i / vocab + " changed although only later tokens did");
    }
  }

  @Property(tries = 15)
  void paddedEncoderPositionsAreInvisible(
      @ForAll @Size(min = 1, max = 10) List<@IntRange(min = 0, max = 500) Integer> tokens,
      @ForAll @IntRange(min = 1, max = 30) int extraWords) {
    InputSequence short_ = reasons.pointwiseInput("query", "short passage", 1).sequence();
    InputSequence long_ = reasons.pointwiseInput("query", "longer passage " + "word ".repeat(extraWords), 1).sequence();
    long[] ids = withStart(tokens);
    float[] alone = logits(new long[][] {ids}, List.of(short_));
    float[] padded = logits(new long[][] {ids, ids}, List.of(short_, long_));
    for (int i = 0; i < alone.length; i++) {
      assertEquals(alone[i], padded[i], TOLERANCE, "logit " + i);
    }
  }

  @Property(tries = 15)
  void cachedStepsEqualTheWholeSequenceForward(
      @ForAll @Size(min = 1, max = 14) List<@IntRange(min = 0, max = 500) Integer> tokens) {
    long[] ids = withStart(tokens);
    ReasonInput reasonInput = reasons.pointwiseInput("what is a cache", "a cache keeps results for later", 1);
    InputSequence input = reasonInput.sequence();
    float[] whole = logits(new long[][] {ids}, List.of(input));
    int vocab = TINY.vocabSize();
    try (NDManager scope = encoder.manager().newSubManager()) {
      ParameterStore ps = new ParameterStore(scope, false);
      NDList batch = new PaddedBatch(List.of(input)).toNDList(scope);
      NDArray memory = reasons.memory(ps, batch);
      NDArray bias = ReasonDecoder.memoryBias(batch.get(2));
      int width = input.length();
      NDArray copyMask = reasons.copyMask(scope, List.of(reasonInput), width);
      long[] flat = ids.clone();
      ReasonDecoder.Output all = reasons.decoder().forward(
          ps, reasons.wordTable(), scope.create(flat, new Shape(1, ids.length)), memory, bias, copyMask, false);
      float[] copies = all.copyScores().toFloatArray();
      float[] gates = all.gateLogits().toFloatArray();
      DecoderState state = reasons.decoder().start(ps, memory, bias, copyMask);
      for (int t = 0; t < ids.length; t++) {
        ReasonDecoder.Output step =
            reasons.decoder().step(ps, reasons.wordTable(), scope.create(new long[] {ids[t]}, new Shape(1)), state);
        float[] logits = step.logits().toFloatArray();
        for (int v = 0; v < vocab; v++) {
          assertEquals(whole[t * vocab + v], logits[v], TOLERANCE, "position " + t + " token " + v);
        }
        float[] stepCopies = step.copyScores().toFloatArray();
        for (int s = 0; s < width; s++) {
          assertEquals(copies[t * width + s], stepCopies[s], Math.abs(copies[t * width + s]) * 1e-5f + TOLERANCE,
              "copy score, position " + t + " source " + s);
        }
        assertEquals(gates[t], step.gateLogits().getFloat(0), TOLERANCE, "gate, position " + t);
      }
    }
  }

  /** After select(rows), row i continues exactly as old row rows[i] would have (beam search relies on it). */
  @Property(tries = 10)
  void selectedRowsContinueAsTheRowsTheyCameFrom(
      @ForAll @IntRange(min = 0, max = 500) int first, @ForAll @IntRange(min = 0, max = 500) int second) {
    List<ReasonInput> reasonInputs = List.of(
        reasons.pointwiseInput("first query", "one passage", 1),
        reasons.pointwiseInput("second query", "another, longer passage about something else", 1));
    List<InputSequence> inputs = reasonInputs.stream().map(ReasonInput::sequence).toList();
    long cls = encoder.tokenizer().clsId();
    int vocab = TINY.vocabSize();
    try (NDManager scope = encoder.manager().newSubManager()) {
      ParameterStore ps = new ParameterStore(scope, false);
      DecoderState state = started(reasons, reasonInputs, ps);
      reasons.decoder().step(ps, reasons.wordTable(), scope.create(new long[] {cls, cls}, new Shape(2)), state);
      reasons.decoder().step(
          ps, reasons.wordTable(), scope.create(new long[] {2000 + first, 2000 + second}, new Shape(2)), state);
      state.select(scope.create(new long[] {1, 0, 1}, new Shape(3)));
      long next = 2100;
      float[] selected = reasons.decoder()
          .step(ps, reasons.wordTable(), scope.create(new long[] {next, next, next}, new Shape(3)), state)
          .logits()
          .toFloatArray();
      long[][] expectedRows = {{cls, 2000 + second, next}, {cls, 2000 + first, next}, {cls, 2000 + second, next}};
      int[] source = {1, 0, 1};
      for (int r = 0; r < 3; r++) {
        float[] whole = logits(new long[][] {expectedRows[r]}, List.of(inputs.get(source[r])));
        for (int v = 0; v < vocab; v++) {
          assertEquals(whole[2 * vocab + v], selected[r * vocab + v], TOLERANCE, "row " + r + " token " + v);
        }
      }
    }
  }

  /**
   * Beams of one input share its encoder keys and values (a group): after fanning out to three rows per
   * input and reordering within each input, every row still continues exactly as the row it came from
   * (the whole-sequence forward over its tokens), for the vocabulary, the copy attention and the gate.
   * On a decoder whose attention over the encoder states is sharp (query weights scaled up): with the
   * tiny random decoder's near-uniform attention, a query read from the wrong row would change the
   * result by less than the tolerance.
   */
  @Property(tries = 10)
  void groupedBeamsContinueAsTheRowsTheyCameFrom(
      @ForAll @IntRange(min = 0, max = 500) int first,
      @ForAll @IntRange(min = 0, max = 500) int second,
      @ForAll @Size(3) List<@IntRange(min = 0, max = 2) Integer> fromFirst,
      @ForAll @Size(3) List<@IntRange(min = 3, max = 5) Integer> fromSecond) {
    List<ReasonInput> reasonInputs = List.of(
        sharp.pointwiseInput("first query", "one passage", 1),
        sharp.comparativeInput("second query", "another, longer passage", "and a third one", 2));
    long cls = encoder.tokenizer().clsId();
    int vocab = TINY.vocabSize();
    try (NDManager scope = encoder.manager().newSubManager()) {
      ParameterStore ps = new ParameterStore(scope, false);
      DecoderState state = started(sharp, reasonInputs, ps);
      sharp.decoder().step(ps, sharp.wordTable(), scope.create(new long[] {cls, cls}, new Shape(2)), state);
      state.select(scope.create(new long[] {0, 0, 0, 1, 1, 1}, new Shape(6)));
      assertEquals(3, state.rowsPerGroup(), "three beams per input share their input's keys");
      long[] fed = {2000 + first, 2001 + first, 2002 + first, 2000 + second, 2001 + second, 2002 + second};
      sharp.decoder().step(ps, sharp.wordTable(), scope.create(fed, new Shape(6)), state);
      long[] rows = new long[6];
      for (int i = 0; i < 3; i++) {
        rows[i] = fromFirst.get(i);
        rows[3 + i] = fromSecond.get(i);
      }
      state.select(scope.create(rows, new Shape(6)));
      assertEquals(3, state.rowsPerGroup());
      long next = 2100;
      ReasonDecoder.Output out = sharp.decoder().step(
          ps, sharp.wordTable(), scope.create(new long[] {next, next, next, next, next, next}, new Shape(6)), state);
      float[] logits = out.logits().toFloatArray();
      float[] copies = out.copyScores().toFloatArray();
      float[] gates = out.gateLogits().toFloatArray();
      int width = (int) out.copyScores().getShape().get(1); // the batch's input width
      for (int r = 0; r < 6; r++) {
        long[] tokens = {cls, fed[(int) rows[r]], next};
        float[][] whole = wholeSequence(sharp, tokens, reasonInputs.get(r < 3 ? 0 : 1));
        for (int v = 0; v < vocab; v++) {
          assertEquals(whole[0][2 * vocab + v], logits[r * vocab + v], TOLERANCE, "row " + r + " token " + v);
        }
        int src = whole[1].length / 3;
        for (int k = 0; k < src; k++) {
          // the input alone may be shorter than the batch: the batch's padding is not compared
          assertEquals(whole[1][2 * src + k], copies[r * width + k], TOLERANCE, "row " + r + " copy " + k);
        }
        assertEquals(whole[2][2], gates[r], TOLERANCE, "row " + r + " gate");
      }
    }
  }

  /**
   * A decoder state started over {@code inputs} batched together, in {@code ps}'s scope: what
   * generation starts from.
   */
  static DecoderState started(ReasonModel model, List<ReasonInput> inputs, ParameterStore ps) {
    NDManager scope = ps.getManager();
    NDList batch = new PaddedBatch(inputs.stream().map(ReasonInput::sequence).toList()).toNDList(scope);
    int width = (int) batch.get(0).getShape().get(1);
    return model.decoder().start(
        ps, model.memory(ps, batch), ReasonDecoder.memoryBias(batch.get(2)), model.copyMask(scope, inputs, width));
  }

  /**
   * The whole-sequence forward of {@code model} over {@code tokens} for one input alone: logits [len,
   * vocab], copy scores [len, src] and gate logits [len], each flattened.
   */
  private static float[][] wholeSequence(ReasonModel model, long[] tokens, ReasonInput input) {
    try (NDManager scope = encoder.manager().newSubManager()) {
      ParameterStore ps = new ParameterStore(scope, false);
      NDList batch = new PaddedBatch(List.of(input.sequence())).toNDList(scope);
      int width = (int) batch.get(0).getShape().get(1);
      ReasonDecoder.Output out = model.decoder().forward(
          ps, model.wordTable(), scope.create(tokens, new Shape(1, tokens.length)), model.memory(ps, batch),
          ReasonDecoder.memoryBias(batch.get(2)), model.copyMask(scope, List.of(input), width), false);
      return new float[][] {
          out.logits().toFloatArray(), out.copyScores().toFloatArray(), out.gateLogits().toFloatArray()};
    }
  }

  @Example
  void rowsGroupOnlyAsEqualRunsOfDistinctInputs() {
    assertEquals(2, DecoderState.uniformRunLength(new int[] {0, 0, 1, 1}));
    assertEquals(2, DecoderState.uniformRunLength(new int[] {1, 1, 0, 0}));
    assertEquals(4, DecoderState.uniformRunLength(new int[] {3, 3, 3, 3}));
    assertEquals(1, DecoderState.uniformRunLength(new int[] {0, 1, 2}));
    assertEquals(1, DecoderState.uniformRunLength(new int[] {0, 0, 1}), "runs of unequal length");
    assertEquals(1, DecoderState.uniformRunLength(new int[] {0, 0, 1, 1, 0, 0}), "an input in two runs");
    assertEquals(1, DecoderState.uniformRunLength(new int[] {0, 1, 0, 1}), "an input's rows apart");
    assertEquals(1, DecoderState.uniformRunLength(new int[] {5}));
  }
}
