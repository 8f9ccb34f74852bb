package io.github.r2r.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableMap;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BertOnnxImporterTest {
  private static final int HIDDEN = 384;
  private static final int INTERMEDIATE = 1536;

  private static OnnxWeights miniLm;
  private static ImmutableMap<String, Tensor> miniLmParameters;

  @TempDir Path directory;

  @BeforeAll
  static void readMiniLmOnce() throws IOException {
    miniLm = OnnxWeights.readResource("/all-minilm-l6-v2.onnx");
    miniLmParameters = BertOnnxImporter.huggingFaceParameters(miniLm);
  }

  /** The parameters of Hugging Face's BertModel (without pooler) and their shapes. */
  private static Map<String, List<Long>> expectedBertShapes(int layers) {
    Map<String, List<Long>> shapes = new TreeMap<>();
    shapes.put("embeddings.position_ids", List.of(1L, 512L));
    shapes.put("embeddings.word_embeddings.weight", List.of(30522L, (long) HIDDEN));
    shapes.put("embeddings.position_embeddings.weight", List.of(512L, (long) HIDDEN));
    shapes.put("embeddings.token_type_embeddings.weight", List.of(2L, (long) HIDDEN));
    shapes.put("embeddings.LayerNorm.weight", List.of((long) HIDDEN));
    shapes.put("embeddings.LayerNorm.bias", List.of((long) HIDDEN));
    for (int layer = 0; layer < layers; layer++) {
      String prefix = "encoder.layer." + layer + ".";
      for (String projection : List.of("query", "key", "value")) {
        shapes.put(
            prefix + "attention.self." + projection + ".weight",
            List.of((long) HIDDEN, (long) HIDDEN));
        shapes.put(prefix + "attention.self." + projection + ".bias", List.of((long) HIDDEN));
      }
      shapes.put(prefix + "attention.output.dense.weight", List.of((long) HIDDEN, (long) HIDDEN));
      shapes.put(prefix + "attention.output.dense.bias", List.of((long) HIDDEN));
      shapes.put(prefix + "attention.output.LayerNorm.weight", List.of((long) HIDDEN));
      shapes.put(prefix + "attention.output.LayerNorm.bias", List.of((long) HIDDEN));
      shapes.put(prefix + "intermediate.dense.weight", List.of((long) INTERMEDIATE, (long) HIDDEN));
      shapes.put(prefix + "intermediate.dense.bias", List.of((long) INTERMEDIATE));
      shapes.put(prefix + "output.dense.weight", List.of((long) HIDDEN, (long) INTERMEDIATE));
      shapes.put(prefix + "output.dense.bias", List.of((long) HIDDEN));
      shapes.put(prefix + "output.LayerNorm.weight", List.of((long) HIDDEN));
      shapes.put(prefix + "output.LayerNorm.bias", List.of((long) HIDDEN));
    }
    return shapes;
  }

  private static Map<String, List<Long>> shapesOf(Map<String, Tensor> tensors) {
    return tensors.values().stream()
        .collect(
            Collectors.toMap(
                Tensor::name,
                t -> Arrays.stream(t.shape()).boxed().collect(Collectors.toList()),
                (a, b) -> a,
                TreeMap::new));
  }

  @Test
  void miniLmHasTheParametersOfASixLayerBert() {
    assertEquals(expectedBertShapes(6), shapesOf(miniLmParameters));
    assertEquals(102, miniLmParameters.size());
    miniLmParameters.forEach((name, tensor) -> assertEquals(name, tensor.name()));
    miniLmParameters.values().stream()
        .filter(t -> !t.name().equals("embeddings.position_ids"))
        .forEach(t -> assertEquals(DType.F32, t.dtype(), t.name()));
  }

  @Test
  void miniLmLinearWeightsAreTheTransposedMatMulOperands() {
    for (String module :
        List.of(
            "encoder/layer.0/attention/self/query",
            "encoder/layer.5/intermediate/dense",
            "encoder/layer.3/output/dense")) {
      OnnxNode matMul =
          miniLm.nodes().stream()
              .filter(n -> n.name().equals("/" + module + "/MatMul"))
              .findFirst()
              .orElseThrow();
      Tensor stored = miniLm.initializers().get(matMul.inputs().get(1));
      assertTrue(stored.name().startsWith("onnx::MatMul_"), stored.name());
      Tensor weight = miniLmParameters.get(module.replace('/', '.') + ".weight");
      long[] in = stored.shape();
      assertArrayEquals(new long[] {in[1], in[0]}, weight.shape());
      ByteBuffer storedData = stored.data();
      ByteBuffer weightData = weight.data();
      // Spot-check element (out, in) of the Linear weight against (in, out) of the ONNX operand.
      for (long[] outIn : new long[][] {{0, 0}, {1, 0}, {0, 1}, {in[1] - 1, in[0] - 1}, {7, 300}}) {
        float expected = storedData.getFloat((int) (4 * (outIn[1] * in[1] + outIn[0])));
        float actual = weightData.getFloat((int) (4 * (outIn[0] * in[0] + outIn[1])));
        assertEquals(expected, actual, module + " " + Arrays.toString(outIn));
      }
    }
  }

  @Test
  void miniLmNamedParametersAreTheInitializersThemselves() {
    assertEquals(
        miniLm.initializers().get("encoder.layer.2.attention.output.LayerNorm.weight"),
        miniLmParameters.get("encoder.layer.2.attention.output.LayerNorm.weight"));
    assertArrayEquals(
        LongStream.range(0, 512).toArray(),
        miniLmParameters.get("embeddings.position_ids").toLongArray());
  }

  @Test
  void miniLmParametersSurviveASafetensorsRoundTrip() throws IOException {
    Path file = directory.resolve("model.safetensors");
    SafeTensors.write(file, miniLmParameters, Map.of("format", "pt"));
    SafeTensors read = SafeTensors.read(file);
    assertEquals(miniLmParameters, read.tensors());
    assertEquals(
        Files.size(file) - 8 - headerLength(file),
        miniLmParameters.values().stream().mapToLong(Tensor::byteSize).sum());
  }

  private static long headerLength(Path file) throws IOException {
    byte[] prefix = Arrays.copyOf(Files.readAllBytes(file), 8);
    return ByteBuffer.wrap(prefix).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
  }

  @Test
  void twelveLayerExportsMapTheSameWay() throws IOException {
    Map<String, List<Long>> expected = expectedBertShapes(12);
    assertEquals(
        expected,
        shapesOf(
            BertOnnxImporter.huggingFaceParameters(OnnxWeights.readResource("/e5-small-v2.onnx"))));
    // The bge export has no position_ids buffer.
    expected.remove("embeddings.position_ids");
    assertEquals(
        expected,
        shapesOf(
            BertOnnxImporter.huggingFaceParameters(
                OnnxWeights.readResource("/bge-small-en-v1.5.onnx"))));
  }

  // Hand-made graphs, with onnx.proto field numbers as in OnnxWeightsTest.

  private OnnxWeights handMadeModel(String matMulNodeName, String biasName) throws IOException {
    ProtoBytes matMul =
        ProtoBytes.message()
            .string(1, "hidden")
            .string(1, "onnx::MatMul_42")
            .string(2, "projected")
            .string(3, matMulNodeName)
            .string(4, "MatMul");
    ProtoBytes reshape =
        ProtoBytes.message()
            .string(1, "projected")
            .string(1, "onnx::Reshape_7")
            .string(2, "reshaped")
            .string(3, "/reshape/Reshape")
            .string(4, "Reshape");
    ProtoBytes weight =
        ProtoBytes.message()
            .varint(1, 2)
            .varint(1, 3)
            .varint(2, 1)
            .string(8, "onnx::MatMul_42")
            .bytes(9, ProtoBytes.littleEndianFloats(1, 2, 3, 4, 5, 6));
    ProtoBytes bias =
        ProtoBytes.message()
            .varint(1, 3)
            .varint(2, 1)
            .string(8, biasName)
            .bytes(9, ProtoBytes.littleEndianFloats(7, 8, 9));
    ProtoBytes shape =
        ProtoBytes.message()
            .varint(1, 2)
            .varint(2, 7)
            .string(8, "onnx::Reshape_7")
            .packedVarints(7, 3, 1);
    ProtoBytes graph =
        ProtoBytes.message()
            .message(1, matMul)
            .message(1, reshape)
            .message(5, weight)
            .message(5, bias)
            .message(5, shape);
    Path file = directory.resolve("tiny.onnx");
    Files.write(file, ProtoBytes.message().message(7, graph).toByteArray());
    return OnnxWeights.read(file);
  }

  @Test
  void anonymousMatMulWeightIsRenamedAndTransposed() throws IOException {
    ImmutableMap<String, Tensor> parameters =
        BertOnnxImporter.huggingFaceParameters(
            handMadeModel("/encoder/proj/MatMul", "encoder.proj.bias"));
    assertEquals(
        List.of("encoder.proj.bias", "encoder.proj.weight"), List.copyOf(parameters.keySet()));
    Tensor weight = parameters.get("encoder.proj.weight");
    assertArrayEquals(new long[] {3, 2}, weight.shape());
    // [[1, 2, 3], [4, 5, 6]] transposed.
    assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, weight.toFloatArray());
    assertArrayEquals(new float[] {7, 8, 9}, parameters.get("encoder.proj.bias").toFloatArray());
  }

  @Test
  void matMulNodeWithoutModulePathIsReported() throws IOException {
    OnnxWeights onnx = handMadeModel("MatMul_3", "encoder.proj.bias");
    MalformedWeightsException e =
        assertThrows(
            MalformedWeightsException.class, () -> BertOnnxImporter.huggingFaceParameters(onnx));
    assertEquals(
        onnx.source()
            + ": MatMul node \"MatMul_3\" reads weight onnx::MatMul_42 but its name is"
            + " not of the form /module/path/MatMul",
        e.getMessage());
  }

  @Test
  void derivedNameCollidingWithAnInitializerIsReported() throws IOException {
    OnnxWeights onnx = handMadeModel("/encoder/proj/MatMul", "encoder.proj.weight");
    MalformedWeightsException e =
        assertThrows(
            MalformedWeightsException.class, () -> BertOnnxImporter.huggingFaceParameters(onnx));
    assertEquals(
        onnx.source()
            + ": MatMul weight onnx::MatMul_42 maps to encoder.proj.weight, which an"
            + " initializer already has as its name",
        e.getMessage());
  }
}
