package io.github.r2r.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.github.r2r.model.io.DType;
import io.github.r2r.model.io.MalformedWeightsException;
import io.github.r2r.model.io.SafeTensors;
import io.github.r2r.model.io.Tensor;
import io.github.r2r.text.InputSequence;
import io.github.r2r.text.SequenceBuilder;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled form of a student: the pretrained encoder plus the tensors fine-tuning changed. Written
 * into a temporary folder and read back through a class loader over it, as r2r-core reads its own.
 */
class BundledModelTest {
  private static final String FOLDER = "test/bundle/";
  private static final List<String> CHANGED =
      List.of("encoder.layer.11.output.dense.bias", "encoder.layer.10.attention.self.query.weight");
  private static RankingModel e5;
  private static RankingModel student;

  @BeforeAll
  static void load() throws IOException {
    e5 = RankingModel.pretrained(PretrainedEncoder.E5_SMALL_V2, Device.cpu());
    Map<String, Tensor> weights = new LinkedHashMap<>(e5.exportWeights());
    for (String name : CHANGED) {
      float[] values = weights.get(name).toFloatArray();
      for (int i = 0; i < values.length; i++) {
        values[i] = values[i] * 0.75f + 0.01f * (i % 7);
      }
      // fp16 values, so that the bundled copy (stored fp16) is exactly the student.
      weights.put(name, Tensor.ofFloats(name, weights.get(name).shape(), values).toFloatType(DType.F16));
    }
    student = RankingModel.of(e5.config().withName("test-student"), e5.tokenizerJson(), weights, Device.cpu());
  }

  @AfterAll
  static void close() {
    student.close();
    e5.close();
  }

  private static URLClassLoader loaderOver(Path root) throws IOException {
    return new URLClassLoader(new URL[] {root.toUri().toURL()}, null);
  }

  @Test
  void storesOnlyTheChangedTensorsAndLoadsBackTheStudent(@TempDir Path root) throws IOException {
    BundledModel.write(student, PretrainedEncoder.E5_SMALL_V2, "e5-small-v2", root.resolve(FOLDER), "# card\n");

    SafeTensors file = SafeTensors.read(root.resolve(FOLDER).resolve(BundledModel.WEIGHTS_FILE));
    assertEquals(Set.copyOf(CHANGED), file.tensors().keySet());
    assertEquals("e5-small-v2", file.metadata().get(BundledModel.BASE_KEY));
    assertEquals(DType.F16, file.tensors().get(CHANGED.get(0)).dtype());
    assertEquals("# card\n", Files.readString(root.resolve(FOLDER).resolve(BundledModel.CARD_FILE)));

    try (URLClassLoader loader = loaderOver(root);
        RankingModel loaded = BundledModel.load(loader, FOLDER, Device.cpu())) {
      assertTrue(BundledModel.hasStudent(loader, FOLDER));
      assertEquals(student.config(), loaded.config());
      assertEquals(student.exportWeights(), loaded.exportWeights());
      SequenceBuilder sequences = new SequenceBuilder(e5.tokenizer().clsId(), e5.tokenizer().sepId(), 64);
      List<InputSequence> input = List.of(sequences.single(e5.tokenizer().tokenize("passage: bundled weights")));
      assertArrayEquals(student.embed(input)[0], loaded.embed(input)[0], 0f);
      assertFalse(java.util.Arrays.equals(e5.embed(input)[0], loaded.embed(input)[0]), "the changes are used");
      assertEquals(Optional.of("e5-small-v2"), BundledModel.explainers(loader, FOLDER));
    }
  }

  @Test
  void theShippedBundleIsAStudentOfE5WhoseUpperLayersAloneDiffer() throws IOException {
    assertTrue(BundledModel.hasStudent());
    assertEquals(Optional.of("e5-small-v2"), BundledModel.explainers());
    SafeTensors shipped = SafeTensors.readResource(BundledModel.RESOURCE_DIR + BundledModel.WEIGHTS_FILE);
    assertEquals("e5-small-v2", shipped.metadata().get(BundledModel.BASE_KEY));
    for (String name : shipped.tensors().keySet()) {
      // The recipe trains the top 6 of 12 layers; embeddings and lower layers come from the carrier jar.
      assertTrue(name.matches("encoder\\.layer\\.([6-9]|1[01])\\..*"), name);
    }
    try (RankingModel bundled = BundledModel.load(Device.cpu())) {
      assertEquals(e5.config().encoder(), bundled.config().encoder());
      assertEquals(ScoringMode.BI_ENCODER, bundled.config().scoring());
      Map<String, Tensor> weights = bundled.exportWeights();
      Map<String, Tensor> original = e5.exportWeights();
      for (String name : original.keySet()) {
        if (!shipped.tensors().containsKey(name)) {
          assertEquals(original.get(name), weights.get(name), name + " comes from e5-small-v2 unchanged");
        }
      }
    }
  }

  @Test
  void withoutExplainersTheStudentHasNoneAndWithoutAStudentE5IsTheDefault(@TempDir Path root) throws IOException {
    BundledModel.write(student, PretrainedEncoder.E5_SMALL_V2, null, root.resolve(FOLDER), "# card\n");
    try (URLClassLoader loader = loaderOver(root)) {
      assertEquals(Optional.empty(), BundledModel.explainers(loader, FOLDER));
      assertFalse(BundledModel.hasStudent(loader, "nothing/here/"));
      assertEquals(Optional.of("e5-small-v2"), BundledModel.explainers(loader, "nothing/here/"));
    }
  }

  @Test
  void refusesWhatCannotBeBundled(@TempDir Path root) throws IOException {
    IllegalArgumentException same = assertThrows(IllegalArgumentException.class,
        () -> BundledModel.write(e5, PretrainedEncoder.E5_SMALL_V2, null, root.resolve("a"), "#\n"));
    assertTrue(same.getMessage().contains("nothing to bundle"), same.getMessage());
    IllegalArgumentException otherShape = assertThrows(IllegalArgumentException.class,
        () -> BundledModel.write(student, PretrainedEncoder.ALL_MINILM_L6_V2, null, root.resolve("b"), "#\n"));
    assertTrue(otherShape.getMessage().contains("encoder shape"), otherShape.getMessage());
  }

  @Test
  void aBrokenBundleNamesItsProblem(@TempDir Path root) throws IOException {
    Path folder = root.resolve(FOLDER);
    BundledModel.write(student, PretrainedEncoder.E5_SMALL_V2, null, folder, "# card\n");
    Path weights = folder.resolve(BundledModel.WEIGHTS_FILE);
    Map<String, Tensor> changed = SafeTensors.read(weights).tensors();

    SafeTensors.write(weights, changed, Map.of(BundledModel.BASE_KEY, "no-such-encoder"));
    try (URLClassLoader loader = loaderOver(root)) {
      MalformedWeightsException base = assertThrows(MalformedWeightsException.class,
          () -> BundledModel.load(loader, FOLDER, Device.cpu()));
      assertTrue(base.getMessage().contains("no-such-encoder") && base.getMessage().contains(BundledModel.BASE_KEY),
          base.getMessage());
    }

    Map<String, Tensor> extra = new LinkedHashMap<>(changed);
    extra.put("encoder.layer.99.output.dense.bias",
        Tensor.ofFloats("encoder.layer.99.output.dense.bias", new long[] {1}, new float[] {1}));
    SafeTensors.write(weights, extra, Map.of(BundledModel.BASE_KEY, "e5-small-v2"));
    try (URLClassLoader loader = loaderOver(root)) {
      MalformedWeightsException unknown = assertThrows(MalformedWeightsException.class,
          () -> BundledModel.load(loader, FOLDER, Device.cpu()));
      assertTrue(unknown.getMessage().contains("encoder.layer.99.output.dense.bias"), unknown.getMessage());
    }

    Files.delete(weights);
    try (URLClassLoader loader = loaderOver(root)) {
      IOException missing = assertThrows(IOException.class, () -> BundledModel.load(loader, FOLDER, Device.cpu()));
      assertTrue(missing.getMessage().contains("student.safetensors is missing"), missing.getMessage());
    }
  }
}
