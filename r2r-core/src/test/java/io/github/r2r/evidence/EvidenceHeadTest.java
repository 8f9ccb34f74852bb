package io.github.r2r.evidence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.r2r.model.io.MalformedWeightsException;
import io.github.r2r.model.io.SafeTensors;
import io.github.r2r.model.io.Tensor;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceHeadTest {
  /** hidden 2, rank 1: Q = [1, 0]ᵀ, S = [0, 2]ᵀ; w = (1, 0.5), μ = (0.5, 0), σ = (0.25, 1). */
  private static EvidenceHead tiny() {
    return EvidenceHead.of(
        new float[][] {{1}, {0}}, new float[][] {{0}, {2}}, new float[] {1, 0.5f}, new float[] {0.5f, 0},
        new float[] {0.25f, 1});
  }

  @Test
  void scoreIsTheStandardisedCosinesPlusTheBilinearTerm() {
    // query (3, 4) → q̂ = (0.6, 0.8); span (0, 5) → ŝ = (0, 1); span cosine q̂·ŝ = 0.8.
    // features: 1 × (0.75 − 0.5) / 0.25 = 1, 0.5 × (0.8 − 0) / 1 = 0.4; bilinear (Qᵀq̂)(Sᵀŝ) = 0.6 × 2 = 1.2.
    assertEquals(2.6f, tiny().score(new float[] {3, 4}, 0.75f, new float[] {0, 5}), 1e-6);
  }

  @Test
  void aSpanWithoutTokensKeepsOnlyTheSentenceCosine() {
    // ŝ = 0: span cosine 0 and no bilinear term; 1 × (0.25 − 0.5) / 0.25 = −1.
    assertEquals(-1f, tiny().score(new float[] {3, 4}, 0.25f, new float[] {0, 0}), 1e-6);
  }

  @Test
  void savedHeadScoresTheSame(@TempDir Path dir) throws IOException {
    EvidenceHead head = tiny();
    head.save(dir);
    assertTrue(EvidenceHead.presentIn(dir));
    EvidenceHead loaded = EvidenceHead.load(dir);
    float[] query = {0.3f, -1.2f};
    float[] span = {2.5f, 0.7f};
    assertEquals(head.score(query, 0.61f, span), loaded.score(query, 0.61f, span));
    assertEquals(2, loaded.hiddenSize());
    assertEquals(1, loaded.rank());
  }

  @Test
  void inputsOfTheWrongSizeAreNamed() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> tiny().score(new float[3], 0f, new float[2]));
    assertEquals("query has 3 values, the head expects 2", e.getMessage());
  }

  @Test
  void badParametersAreNamed() {
    float[][] q = {{1}, {0}};
    assertEquals("feature_scale must be positive, got 0.0",
        assertThrows(IllegalArgumentException.class,
            () -> EvidenceHead.of(q, q, new float[2], new float[2], new float[] {1, 0})).getMessage());
    assertEquals("sentence_projection must have 2 rows",
        assertThrows(IllegalArgumentException.class,
            () -> EvidenceHead.of(q, new float[][] {{1}}, new float[2], new float[2], new float[] {1, 1})).getMessage());
    assertEquals("query_projection has a non-finite value",
        assertThrows(IllegalArgumentException.class,
            () -> EvidenceHead.of(new float[][] {{Float.NaN}, {0}}, q, new float[2], new float[2], new float[] {1, 1}))
            .getMessage());
  }

  @Test
  void malformedFilesAreNamed(@TempDir Path dir) throws IOException {
    assertTrue(assertThrows(FileNotFoundException.class, () -> EvidenceHead.load(dir)).getMessage()
        .contains("evidence.safetensors is missing"));

    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("query_projection", Tensor.ofFloats("query_projection", new long[] {2, 1}, new float[] {1, 0}));
    tensors.put("sentence_projection", Tensor.ofFloats("sentence_projection", new long[] {2, 1}, new float[] {0, 2}));
    tensors.put("feature_weights", Tensor.ofFloats("feature_weights", new long[] {2}, new float[] {1, 1}));
    tensors.put("feature_mean", Tensor.ofFloats("feature_mean", new long[] {2}, new float[] {0, 0}));
    SafeTensors.write(dir.resolve(EvidenceHead.WEIGHTS_FILE), tensors, Map.of());
    String missing = assertThrows(MalformedWeightsException.class, () -> EvidenceHead.load(dir)).getMessage();
    assertTrue(missing.contains("tensor 'feature_scale' is missing"), missing);

    tensors.put("feature_scale", Tensor.ofFloats("feature_scale", new long[] {3}, new float[] {1, 1, 1}));
    SafeTensors.write(dir.resolve(EvidenceHead.WEIGHTS_FILE), tensors, Map.of());
    String shape = assertThrows(MalformedWeightsException.class, () -> EvidenceHead.load(dir)).getMessage();
    assertTrue(shape.contains("feature_scale has shape [3], expected [2]"), shape);

    Files.write(dir.resolve(EvidenceHead.WEIGHTS_FILE), new byte[] {1, 2, 3});
    assertThrows(MalformedWeightsException.class, () -> EvidenceHead.load(dir));
  }

  @Test
  void anIntegerTensorIsNamedWithItsFile(@TempDir Path dir) throws IOException {
    tiny().save(dir);
    Path file = dir.resolve(EvidenceHead.WEIGHTS_FILE);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : SafeTensors.read(file).tensors().entrySet()) {
      tensors.put(e.getKey(), Tensor.ofFloats(e.getKey(), e.getValue().shape(), e.getValue().toFloatArray()));
    }
    tensors.put("feature_weights", Tensor.ofLongs("feature_weights", new long[] {2}, new long[] {1, 1}));
    SafeTensors.write(file, tensors, Map.of());
    // It was an IllegalStateException naming the tensor but not the file.
    MalformedWeightsException e = assertThrows(MalformedWeightsException.class, () -> EvidenceHead.load(dir));
    assertEquals(file + ": tensor 'feature_weights' has type I64, expected a float type", e.getMessage());
  }

  @Test
  void normalisedLeavesZeroVectorsAlone() {
    assertArrayEquals(new float[] {0, 0}, EvidenceHead.normalised(new float[] {0, 0}));
    assertArrayEquals(new float[] {0.6f, 0.8f}, EvidenceHead.normalised(new float[] {3, 4}), 1e-7f);
  }
}
