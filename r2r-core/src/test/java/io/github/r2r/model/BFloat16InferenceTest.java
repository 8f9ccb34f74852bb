package io.github.r2r.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.github.r2r.text.InputSequence;
import io.github.r2r.text.PaddedBatch;
import io.github.r2r.text.SequenceBuilder;
import io.github.r2r.text.TextTokenizer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Precision#BF16} ({@link ScriptedEncoder}, a TorchScript module) against the float32 path on
 * pretrained weights. bfloat16 keeps 8 significant bits, so the bounds are loose on single values and
 * tight on what ranking reads: the cosine between a sequence's bfloat16 and float32 embeddings.
 */
class BFloat16InferenceTest {
  private static RankingModel fp32;
  private static RankingModel bf16;
  private static RankingModel crossFp32;
  private static RankingModel crossBf16;

  @BeforeAll
  static void load() throws Exception {
    fp32 = RankingModel.pretrained(PretrainedEncoder.E5_SMALL_V2, Device.cpu());
    bf16 = RankingModel.pretrained(PretrainedEncoder.E5_SMALL_V2, Device.cpu());
    bf16.setInferencePrecision(Precision.BF16);
    ModelConfig cross = PretrainedEncoder.ALL_MINILM_L6_V2.config().withScoring(ScoringMode.CROSS_ENCODER);
    crossFp32 = RankingModel.pretrained(PretrainedEncoder.ALL_MINILM_L6_V2, cross, Device.cpu());
    crossBf16 = RankingModel.pretrained(PretrainedEncoder.ALL_MINILM_L6_V2, cross, Device.cpu());
    crossBf16.setInferencePrecision(Precision.BF16);
  }

  @AfterAll
  static void close() {
    fp32.close();
    bf16.close();
    crossFp32.close();
    crossBf16.close();
  }

  /** {@link InferencePathTest}'s texts (a padded batch of very different lengths), and odd unicode. */
  static final String[] TEXTS = Stream.concat(
          Arrays.stream(InferencePathTest.TEXTS),
          Stream.of("passage: Ünïcödé   text — with\todd whitespace and emoji 🦒 in it."))
      .toArray(String[]::new);

  private static List<InputSequence> texts(RankingModel model, String... texts) {
    return InferencePathTest.texts(model, texts);
  }

  @Test
  void precisionIsReported() {
    assertEquals(Precision.FP32, fp32.inferencePrecision());
    assertEquals(Precision.BF16, bf16.inferencePrecision());
  }

  @Test
  void embeddingsOfAPaddedBatchStayWithinBFloat16RoundingOfFloat32() {
    List<InputSequence> batch = texts(fp32, TEXTS);
    assertTrue(new PaddedBatch(batch).padded(), "the batch must exercise the padding mask");
    float[][] reference = fp32.embed(batch);
    float[][] low = bf16.embed(batch);
    for (int i = 0; i < batch.size(); i++) {
      double cosine = dot(reference[i], low[i]);
      assertTrue(cosine > 0.9995, "sequence " + i + ": cosine to float32 " + cosine);
    }
    // What ranking reads: a query-passage cosine moves by bfloat16 rounding only.
    for (int i = 1; i < batch.size(); i++) {
      assertEquals(dot(reference[0], reference[i]), dot(low[0], low[i]), 5e-3, "query . passage " + i);
    }
  }

  @Test
  void paddingDoesNotLeakIntoShorterSequences() {
    List<InputSequence> batch = texts(bf16, TEXTS);
    float[][] together = bf16.embed(batch);
    for (int i = 0; i < batch.size(); i++) {
      float[] alone = bf16.embed(List.of(batch.get(i)))[0];
      // Alone the sequence has no padding; a leak through the mask would move it far more than this.
      assertTrue(dot(alone, together[i]) > 0.9999, "sequence " + i);
    }
  }

  @Test
  void repeatedCallsGiveIdenticalEmbeddings() {
    List<InputSequence> batch = texts(bf16, TEXTS);
    float[][] first = bf16.embed(batch);
    float[][] second = bf16.embed(batch);
    for (int i = 0; i < first.length; i++) {
      assertArrayEquals(first[i], second[i], "sequence " + i);
    }
  }

  @Test
  void tokenStatesForExplanationsComeFromTheSamePath() {
    List<InputSequence> batch = texts(bf16, TEXTS);
    List<RankingModel.Encoded> encoded = bf16.encode(batch);
    float[][] embedded = bf16.embed(batch);
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
    float[] low = crossBf16.crossScores(pairs);
    for (int i = 0; i < pairs.size(); i++) {
      // the seeded fresh head gives logits of order 0.1-1; bfloat16 keeps 2-3 significant digits
      assertEquals(reference[i], low[i], 0.02 + 0.02 * Math.abs(reference[i]), "pair " + i);
    }
  }

  @Test
  void backToFloat32RestoresTheReferencePath() throws Exception {
    try (RankingModel model = RankingModel.pretrained(PretrainedEncoder.E5_SMALL_V2, Device.cpu())) {
      List<InputSequence> batch = texts(model, TEXTS);
      float[][] before = model.embed(batch);
      model.setInferencePrecision(Precision.BF16);
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
        () -> bf16.embed(List.of(new InputSequence(ids, new long[tooLong]))));
    assertTrue(e.getMessage().contains("exceeds max_position_embeddings"), e.getMessage());
  }

  @Test
  void archiveHoldsTheSourceVerbatim() throws Exception {
    String source = "class M(Module):\n  __parameters__ = []\n";
    byte[] zip = ScriptedModule.archive("M", source);
    List<String> names = new ArrayList<>();
    String code = null;
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        names.add(e.getName());
        assertEquals(ZipEntry.STORED, e.getMethod(), e.getName());
        if (e.getName().equals("archive/code/__torch__.py")) {
          code = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
    }
    assertEquals(
        List.of("archive/data.pkl", "archive/constants.pkl", "archive/version", "archive/byteorder",
            "archive/code/__torch__.py"),
        names);
    assertEquals(source, code);
  }

  @Test
  void aMissingScriptResourceIsNamed() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      RuntimeException e = assertThrows(RuntimeException.class,
          () -> ScriptedModule.load(manager, "/io/github/r2r/model/no-such.torchscript", "Missing"));
      assertTrue(e.getMessage().contains("no-such.torchscript"), e.getMessage());
    }
  }

  @Test
  void sourceThatDoesNotCompileFailsWithLibtorchsMessage() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      RuntimeException e = assertThrows(RuntimeException.class,
          () -> ScriptedModule.load(manager, "broken.torchscript", "Broken"));
      assertTrue(e.getMessage().contains("no_such_operator"), e.getMessage());
    }
  }

  static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }
}
