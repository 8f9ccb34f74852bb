package io.github.r2r.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.github.r2r.model.BertConfig;
import io.github.r2r.model.ModelConfig;
import io.github.r2r.model.Pooling;
import io.github.r2r.model.PretrainedEncoder;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.model.io.DType;
import io.github.r2r.model.io.Tensor;
import java.io.InputStream;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interpolated model directory: loadable, the tuned model's config, weights halfway, the card noted; the
 * program refuses an alpha outside [0, 1] and an output that is one of its inputs before it loads anything.
 */
class InterpolateWeightsTest {
  private static ModelConfig config(int layers) {
    return new ModelConfig("tiny-student", new BertConfig(30522, 32, layers, 2, 64, 128, 2, 1e-12f),
        ScoringMode.BI_ENCODER, Pooling.MEAN, "query: ", "passage: ", 128);
  }

  private static byte[] tokenizer() throws Exception {
    try (InputStream in = InterpolateWeightsTest.class.getResourceAsStream(PretrainedEncoder.E5_SMALL_V2.tokenizerResource())) {
      return in.readAllBytes();
    }
  }

  @Test
  void writesAModelDirectoryHalfwayBetweenTheTwo(@TempDir Path dir) throws Exception {
    try (RankingModel start = RankingModel.initialized(config(2), tokenizer(), Device.cpu(), 1);
        RankingModel tuned = RankingModel.initialized(config(2), tokenizer(), Device.cpu(), 2)) {
      InterpolateWeights.write(start, tuned, 0.5, dir, "# card\n- weights: halfway\n");
      assertTrue(Files.readString(dir.resolve(RankingModel.CARD_FILE)).contains("weights: halfway"));
      try (RankingModel mixed = RankingModel.load(dir, Device.cpu())) {
        assertEquals(tuned.config(), mixed.config());
        Map<String, Tensor> a = start.exportWeights();
        Map<String, Tensor> b = tuned.exportWeights();
        for (Map.Entry<String, Tensor> e : mixed.exportWeights().entrySet()) {
          float[] x = a.get(e.getKey()).toFloatArray();
          float[] y = b.get(e.getKey()).toFloatArray();
          float[] expected = new float[x.length];
          for (int i = 0; i < x.length; i++) {
            // stored fp16, as every model directory TrainStudent writes
            expected[i] = Tensor.ofFloats("x", new long[] {1}, new float[] {(x[i] + y[i]) / 2})
                .toFloatType(DType.F16).toFloatArray()[0];
          }
          assertArrayEquals(expected, e.getValue().toFloatArray(), 0f, e.getKey());
        }
      }
    }
  }

  @Test
  void modelsWithDifferentEncodersAreRefused(@TempDir Path dir) throws Exception {
    try (RankingModel start = RankingModel.initialized(config(2), tokenizer(), Device.cpu(), 1);
        RankingModel tuned = RankingModel.initialized(config(3), tokenizer(), Device.cpu(), 2)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> InterpolateWeights.write(start, tuned, 0.5, dir, "#\n"));
      assertTrue(e.getMessage().startsWith("the start and tuned models have different encoders"), e.getMessage());
    }
  }

  private static Path saved(Path dir, String name, long seed) throws Exception {
    try (RankingModel model = RankingModel.initialized(config(2), tokenizer(), Device.cpu(), seed)) {
      model.save(dir.resolve(name), DType.F32, "# " + name + "\n");
    }
    return dir.resolve(name);
  }

  @Test
  void anOutputThatIsTheTunedOrTheStartModelsDirectoryIsRefusedAndTheInputKept(@TempDir Path dir) throws Exception {
    Path start = saved(dir, "start", 1);
    Path tuned = saved(dir, "tuned", 2);
    byte[] tunedWeights = Files.readAllBytes(tuned.resolve("model.safetensors"));
    byte[] startWeights = Files.readAllBytes(start.resolve("model.safetensors"));

    MainOutcome intoTuned = MainOutcome.of("usage", InterpolateWeights::run,
        "--start", start.toString(), "--tuned", tuned.toString(), "--alpha", "0.5", "--out", tuned.toString());
    MainOutcome intoStart = MainOutcome.of("usage", InterpolateWeights::run, "--start", start.toString(),
        "--tuned", tuned.toString(), "--alpha", "0.5", "--out", dir.resolve("tuned/../start").toString());

    assertArrayEquals(tunedWeights, Files.readAllBytes(tuned.resolve("model.safetensors")));
    assertArrayEquals(startWeights, Files.readAllBytes(start.resolve("model.safetensors")));
    assertEquals(2, intoTuned.status(), intoTuned.err());
    assertTrue(intoTuned.err().startsWith("--out " + tuned + " is the directory of --tuned " + tuned), intoTuned.err());
    assertEquals(2, intoStart.status(), intoStart.err());
    assertTrue(intoStart.err().startsWith("--out " + dir.resolve("tuned/../start") + " is the directory of --start "),
        intoStart.err());
  }

  @Test
  void anAlphaOutsideZeroToOneOrNotANumberIsAUsageErrorBeforeAnyModelLoads(@TempDir Path dir) throws Exception {
    for (String alpha : List.of("2", "-0.1", "NaN", "half")) {
      MainOutcome outcome = MainOutcome.of("usage", InterpolateWeights::run, "--start", dir.resolve("none").toString(),
          "--tuned", dir.resolve("none").toString(), "--alpha", alpha, "--out", dir.resolve("out").toString());
      assertEquals(2, outcome.status(), alpha + ": " + outcome.err());
      assertTrue(outcome.err().startsWith("--alpha must be "), outcome.err());
    }
  }

  @Test
  void anOutputThatIsAFileIsAUsageError(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "x");
    MainOutcome outcome = MainOutcome.of("usage", InterpolateWeights::run, "--start", dir.resolve("none").toString(),
        "--tuned", dir.resolve("none").toString(), "--alpha", "0.5", "--out", file.toString());
    assertEquals(2, outcome.status(), outcome.err());
    assertTrue(outcome.err().startsWith("--out " + file + " exists and is not a directory"), outcome.err());
  }
}
