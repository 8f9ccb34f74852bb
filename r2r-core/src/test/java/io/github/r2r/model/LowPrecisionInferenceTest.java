package io.github.r2r.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.github.r2r.text.InputSequence;
import io.github.r2r.text.PaddedBatch;
import io.github.r2r.text.SequenceBuilder;
import io.github.r2r.text.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every lower {@link Precision} must keep, checked against the float32 path on pretrained
 * weights: the cosine between a sequence's embeddings in both (what ranking reads), query-passage
 * cosines, cross-encoder logits, determinism, and that explanations read the same states. Each
 * precision's class gives its bounds and adds its own checks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LowPrecisionInferenceTest {
  /** {@link InferencePathTest}'s texts (a padded batch of very different lengths), and odd unicode. */
  static final String[] TEXTS = Stream.concat(
          Arrays.stream(InferencePathTest.TEXTS),
          Stream.of("passage: Ünïcödé   text — with\todd whitespace and emoji 🦒 in it."))
      .toArray(String[]::new);

  RankingModel fp32;
  RankingModel low;
  private RankingModel crossFp32;
  private RankingModel crossLow;

  abstract Precision precision();

  /** Smallest cosine allowed between a sequence's float32 and low-precision embeddings. */
  abstract double minCosineToFloat32();

  /** Largest change allowed in a query-passage cosine. */
  abstract double queryPassageTolerance();

  /** Largest change allowed in a cross-encoder logit x, as {@code a + a * |x|}. */
  abstract double crossLogitTolerance();

  @BeforeAll
  void load() throws Exception {
    fp32 = RankingModel.pretrained(PretrainedEncoder.E5_SMALL_V2, Device.cpu());
    low = RankingModel.pretrained(PretrainedEncoder.E5_SMALL_V2, Device.cpu());
    low.setInferencePrecision(precision());
    ModelConfig cross = PretrainedEncoder.ALL_MINILM_L6_V2.config().withScoring(ScoringMode.CROSS_ENCODER);
    crossFp32 = RankingModel.pretrained(PretrainedEncoder.ALL_MINILM_L6_V2, cross, Device.cpu());
    crossLow = RankingModel.pretrained(PretrainedEncoder.ALL_MINILM_L6_V2, cross, Device.cpu());
    crossLow.setInferencePrecision(precision());
  }

  @AfterAll
  void close() {
    fp32.close();
    low.close();
    crossFp32.close();
    crossLow.close();
  }

  static List<InputSequence> texts(RankingModel model) {
    return InferencePathTest.texts(model, TEXTS);
  }

  @Test
  void precisionIsReported() {
    assertEquals(Precision.FP32, fp32.inferencePrecision());
    assertEquals(precision(), low.inferencePrecision());
  }

  @Test
  void embeddingsOfAPaddedBatchStayWithinRoundingOfFloat32() {
    List<InputSequence> batch = texts(fp32);
    assertTrue(new PaddedBatch(batch).padded(), "the batch must exercise the padding mask");
    float[][] reference = fp32.embed(batch);
    float[][] embedded = low.embed(batch);
    for (int i = 0; i < batch.size(); i++) {
      double cosine = dot(reference[i], embedded[i]);
      assertTrue(cosine > minCosineToFloat32(), "sequence " + i + ": cosine to float32 " + cosine);
    }
    // What ranking reads: a query-passage cosine moves by rounding only.
    for (int i = 1; i < batch.size(); i++) {
      assertEquals(dot(reference[0], reference[i]), dot(embedded[0], embedded[i]), queryPassageTolerance(),
          "query . passage " + i);
    }
  }

  @Test
  void repeatedCallsGiveIdenticalEmbeddings() {
    List<InputSequence> batch = texts(low);
    float[][] first = low.embed(batch);
    float[][] second = low.embed(batch);
    for (int i = 0; i < first.length; i++) {
      assertArrayEquals(first[i], second[i], "sequence " + i);
    }
  }

  @Test
  void tokenStatesForExplanationsComeFromTheSamePath() {
    List<InputSequence> batch = texts(low);
    List<RankingModel.Encoded> encoded = low.encode(batch);
    float[][] embedded = low.embed(batch);
    for (int i = 0; i < batch.size(); i++) {
      assertArrayEquals(embedded[i], encoded.get(i).embedding(), "sequence " + i);
      assertEquals(batch.get(i).length(), encoded.get(i).tokenStates().length);
    }
  }

  @Test
  void crossEncoderLogitsStayClose() {
    TextTokenizer tokenizer = crossFp32.tokenizer();
    SequenceBuilder builder = new SequenceBuilder(tokenizer.clsId(), tokenizer.sepId(), 512);
    List<InputSequence> pairs = new ArrayList<>();
    for (int i = 1; i < TEXTS.length; i++) {
      pairs.addAll(builder.pairWindows(tokenizer.tokenize(TEXTS[0]), tokenizer.tokenize(TEXTS[i]), 400, 200, 4));
    }
    float[] reference = crossFp32.crossScores(pairs);
    float[] logits = crossLow.crossScores(pairs);
    for (int i = 0; i < pairs.size(); i++) {
      // the seeded fresh head gives logits of order 0.1-1
      double a = crossLogitTolerance();
      assertEquals(reference[i], logits[i], a + a * Math.abs(reference[i]), "pair " + i);
    }
  }

  @Test
  void backToFloat32RestoresTheReferencePath() throws Exception {
    try (RankingModel model = RankingModel.pretrained(PretrainedEncoder.E5_SMALL_V2, Device.cpu())) {
      List<InputSequence> batch = texts(model);
      float[][] before = model.embed(batch);
      model.setInferencePrecision(precision());
      model.setInferencePrecision(Precision.FP32);
      assertEquals(Precision.FP32, model.inferencePrecision());
      float[][] after = model.embed(batch);
      for (int i = 0; i < before.length; i++) {
        assertArrayEquals(before[i], after[i], "sequence " + i);
      }
      assertThrows(IllegalArgumentException.class, () -> model.setInferencePrecision(null));
    }
  }

  @Test
  void aSequenceLongerThanThePositionTableIsRejectedByName() {
    int tooLong = PretrainedEncoder.E5_SMALL_V2.config().encoder().maxPositionEmbeddings() + 1;
    long[] ids = new long[tooLong];
    Arrays.fill(ids, 1000);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> low.embed(List.of(new InputSequence(ids, new long[tooLong]))));
    assertTrue(e.getMessage().contains("exceeds max_position_embeddings"), e.getMessage());
  }

  static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }
}
