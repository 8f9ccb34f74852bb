package io.github.r2r.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.github.r2r.text.InputSequence;
import io.github.r2r.text.PaddedBatch;
import io.github.r2r.text.SequenceBuilder;
import io.github.r2r.text.TextTokenizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fused inference path ({@link RankingModel#embed}, {@link RankingModel#crossScores}, {@link
 * BertEncoder#infer}) against the op-by-op path ({@link RankingModel#hiddenStates}), which {@link
 * OnnxParityTest} holds to ONNX Runtime: they must agree within 1e-4 on pretrained weights. Random
 * batches: {@link InferencePathProperties}.
 */
class InferencePathTest {
  private static final double TOLERANCE = 1e-4;
  private static RankingModel biEncoder;
  private static RankingModel crossEncoder;

  @BeforeAll
  static void load() throws Exception {
    biEncoder = RankingModel.pretrained(PretrainedEncoder.E5_SMALL_V2, Device.cpu());
    crossEncoder =
        RankingModel.pretrained(
            PretrainedEncoder.ALL_MINILM_L6_V2,
            PretrainedEncoder.ALL_MINILM_L6_V2.config().withScoring(ScoringMode.CROSS_ENCODER),
            Device.cpu());
  }

  @AfterAll
  static void close() {
    biEncoder.close();
    crossEncoder.close();
  }

  static List<InputSequence> texts(RankingModel model, String... texts) {
    TextTokenizer tokenizer = model.tokenizer();
    SequenceBuilder builder = new SequenceBuilder(tokenizer.clsId(), tokenizer.sepId(), 512);
    List<InputSequence> out = new ArrayList<>();
    for (String text : texts) {
      out.add(builder.single(tokenizer.tokenize(text)));
    }
    return out;
  }

  static final String[] TEXTS = {
    "query: what is the capital of france",
    "passage: Paris is the capital and most populous city of France, with an estimated population of "
        + "2,102,650 residents in January 2023 in an area of more than 105 km2.",
    "passage: x",
    "passage: The giraffe is a large African hoofed mammal belonging to the genus Giraffa. It is the "
        + "tallest living terrestrial animal and the largest ruminant on Earth. ".repeat(8)
  };

  @Test
  void embeddingsOfAMixedLengthBatchMatchTheReference() {
    List<InputSequence> batch = texts(biEncoder, TEXTS);
    assertTrue(new PaddedBatch(batch).padded(), "the batch must exercise the padding mask");
    assertClose(referenceEmbeddings(biEncoder, batch), biEncoder.embed(batch));
  }

  @Test
  void embeddingsOfUnpaddedBatchesMatchTheReference() {
    for (InputSequence alone : texts(biEncoder, TEXTS)) {
      List<InputSequence> batch = List.of(alone, alone);
      assertFalse(new PaddedBatch(batch).padded());
      assertClose(referenceEmbeddings(biEncoder, batch), biEncoder.embed(batch));
    }
  }

  @Test
  void crossEncoderLogitsMatchTheReference() {
    TextTokenizer tokenizer = crossEncoder.tokenizer();
    SequenceBuilder builder = new SequenceBuilder(tokenizer.clsId(), tokenizer.sepId(), 512);
    List<InputSequence> pairs = new ArrayList<>();
    for (int i = 1; i < TEXTS.length; i++) {
      pairs.addAll(
          builder.pairWindows(tokenizer.tokenize(TEXTS[0]), tokenizer.tokenize(TEXTS[i]), 400, 200, 4));
    }
    float[] fast = crossEncoder.crossScores(pairs);
    float[] reference;
    try (NDManager scope = crossEncoder.manager().newSubManager()) {
      NDList inputs = new PaddedBatch(pairs).toNDList(scope);
      reference = crossEncoder.crossLogits(new ParameterStore(scope, false), inputs, false).toFloatArray();
    }
    assertEquals(reference.length, fast.length);
    for (int i = 0; i < fast.length; i++) {
      assertEquals(reference[i], fast[i], TOLERANCE, "pair " + i);
    }
  }

  /** L2-normalised pooled embeddings through the op-by-op path. */
  private static float[][] referenceEmbeddings(RankingModel model, List<InputSequence> batch) {
    try (NDManager scope = model.manager().newSubManager()) {
      NDList inputs = new PaddedBatch(batch).toNDList(scope);
      NDArray pooled = model.pooledEmbedding(new ParameterStore(scope, false), inputs, false);
      float[] flat = pooled.div(pooled.norm(new int[] {1}, true)).toFloatArray();
      int dim = (int) pooled.getShape().get(1);
      float[][] rows = new float[batch.size()][dim];
      for (int r = 0; r < rows.length; r++) {
        System.arraycopy(flat, r * dim, rows[r], 0, dim);
      }
      return rows;
    }
  }

  private static void assertClose(float[][] expected, float[][] actual) {
    assertEquals(expected.length, actual.length);
    for (int r = 0; r < expected.length; r++) {
      for (int k = 0; k < expected[r].length; k++) {
        assertEquals(expected[r][k], actual[r][k], TOLERANCE, "row " + r + " dim " + k);
      }
    }
  }
}
