package io.github.r2r.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads hand-assembled ONNX protobuf files; field numbers are those of onnx.proto. */
class OnnxWeightsTest {
  // ModelProto, GraphProto, NodeProto, AttributeProto and TensorProto field numbers.
  private static final int MODEL_IR_VERSION = 1;
  private static final int MODEL_PRODUCER = 2;
  private static final int MODEL_GRAPH = 7;
  private static final int GRAPH_NODE = 1;
  private static final int GRAPH_NAME = 2;
  private static final int GRAPH_INITIALIZER = 5;
  private static final int NODE_INPUT = 1;
  private static final int NODE_OUTPUT = 2;
  private static final int NODE_NAME = 3;
  private static final int NODE_OP_TYPE = 4;
  private static final int NODE_ATTRIBUTE = 5;
  private static final int ATTRIBUTE_NAME = 1;
  private static final int ATTRIBUTE_F = 2;
  private static final int TENSOR_DIMS = 1;
  private static final int TENSOR_DATA_TYPE = 2;
  private static final int TENSOR_FLOAT_DATA = 4;
  private static final int TENSOR_INT32_DATA = 5;
  private static final int TENSOR_STRING_DATA = 6;
  private static final int TENSOR_INT64_DATA = 7;
  private static final int TENSOR_NAME = 8;
  private static final int TENSOR_RAW_DATA = 9;
  private static final int TENSOR_DOUBLE_DATA = 10;
  private static final int TENSOR_EXTERNAL_DATA = 13;
  private static final int TENSOR_DATA_LOCATION = 14;
  // TensorProto.DataType values.
  private static final int FLOAT = 1;
  private static final int INT32 = 6;
  private static final int INT64 = 7;
  private static final int STRING = 8;
  private static final int FLOAT16 = 10;
  private static final int DOUBLE = 11;

  @TempDir Path directory;

  private Path file;

  private OnnxWeights readModel(ProtoBytes graph) throws IOException {
    return OnnxWeights.read(writeModel(graph));
  }

  private Path writeModel(ProtoBytes graph) throws IOException {
    byte[] model =
        ProtoBytes.message()
            .varint(MODEL_IR_VERSION, 8)
            .string(MODEL_PRODUCER, "hand")
            .message(MODEL_GRAPH, graph)
            .toByteArray();
    file = directory.resolve("model.onnx");
    Files.write(file, model);
    return file;
  }

  private void assertMalformed(ProtoBytes graph, String expectedMessage) throws IOException {
    writeModel(graph);
    MalformedWeightsException e =
        assertThrows(MalformedWeightsException.class, () -> OnnxWeights.read(file));
    assertEquals(file + expectedMessage, e.getMessage());
  }

  private static ProtoBytes floatRawTensor(String name, long[] dims, float... values) {
    ProtoBytes tensor = ProtoBytes.message();
    for (long dim : dims) {
      tensor.varint(TENSOR_DIMS, dim);
    }
    return tensor
        .varint(TENSOR_DATA_TYPE, FLOAT)
        .string(TENSOR_NAME, name)
        .bytes(TENSOR_RAW_DATA, ProtoBytes.littleEndianFloats(values));
  }

  @Test
  void readsRawDataInitializersAndNodes() throws IOException {
    ProtoBytes node =
        ProtoBytes.message()
            .string(NODE_INPUT, "x")
            .string(NODE_INPUT, "w")
            .string(NODE_OUTPUT, "y")
            .string(NODE_NAME, "/layer/MatMul")
            .string(NODE_OP_TYPE, "MatMul")
            .message(
                NODE_ATTRIBUTE,
                ProtoBytes.message().string(ATTRIBUTE_NAME, "alpha").fixed32(ATTRIBUTE_F, 0));
    ProtoBytes graph =
        ProtoBytes.message()
            .message(GRAPH_NODE, node)
            .string(GRAPH_NAME, "main")
            .message(GRAPH_INITIALIZER, floatRawTensor("w", new long[] {2, 3}, 1, 2, 3, 4, 5, 6))
            .message(GRAPH_INITIALIZER, floatRawTensor("scalar", new long[0], 9));

    OnnxWeights onnx = readModel(graph);

    assertEquals(List.of("w", "scalar"), List.copyOf(onnx.initializers().keySet()));
    Tensor w = onnx.initializers().get("w");
    assertEquals(DType.F32, w.dtype());
    assertArrayEquals(new long[] {2, 3}, w.shape());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, w.toFloatArray());
    assertArrayEquals(new long[0], onnx.initializers().get("scalar").shape());
    assertEquals(
        List.of(new OnnxNode("/layer/MatMul", "MatMul", List.of("x", "w"), List.of("y"))),
        onnx.nodes());
    assertEquals(file.toString(), onnx.source());
  }

  @Test
  void readsTypedFieldsPackedAndUnpacked() throws IOException {
    ProtoBytes packedFloats =
        ProtoBytes.message()
            .packedVarints(TENSOR_DIMS, 3)
            .varint(TENSOR_DATA_TYPE, FLOAT)
            .string(TENSOR_NAME, "packed")
            .packedFloats(TENSOR_FLOAT_DATA, 0.5f, -1f, 2f);
    ProtoBytes unpackedFloats =
        ProtoBytes.message()
            .varint(TENSOR_DIMS, 2)
            .varint(TENSOR_DATA_TYPE, FLOAT)
            .string(TENSOR_NAME, "unpacked")
            .fixed32(TENSOR_FLOAT_DATA, Float.floatToIntBits(1.5f))
            .fixed32(TENSOR_FLOAT_DATA, Float.floatToIntBits(-3f));
    // Negative int64 values take ten varint bytes (two's complement).
    ProtoBytes longs =
        ProtoBytes.message()
            .varint(TENSOR_DIMS, 1)
            .varint(TENSOR_DIMS, 3)
            .varint(TENSOR_DATA_TYPE, INT64)
            .string(TENSOR_NAME, "longs")
            .packedVarints(TENSOR_INT64_DATA, 0, -1, Long.MAX_VALUE);
    ProtoBytes ints =
        ProtoBytes.message()
            .varint(TENSOR_DIMS, 2)
            .varint(TENSOR_DATA_TYPE, INT32)
            .string(TENSOR_NAME, "ints")
            .varint(TENSOR_INT32_DATA, -7)
            .varint(TENSOR_INT32_DATA, 300);
    // FLOAT16 values travel as their bit patterns in int32_data: 0x3C00 = 1.0, 0xC000 = -2.0.
    ProtoBytes halves =
        ProtoBytes.message()
            .varint(TENSOR_DIMS, 2)
            .varint(TENSOR_DATA_TYPE, FLOAT16)
            .string(TENSOR_NAME, "halves")
            .packedVarints(TENSOR_INT32_DATA, 0x3C00, 0xC000);
    ProtoBytes doubles =
        ProtoBytes.message()
            .varint(TENSOR_DIMS, 1)
            .varint(TENSOR_DATA_TYPE, DOUBLE)
            .string(TENSOR_NAME, "doubles")
            .fixed64(TENSOR_DOUBLE_DATA, Double.doubleToLongBits(0.25));
    ProtoBytes graph =
        ProtoBytes.message()
            .message(GRAPH_INITIALIZER, packedFloats)
            .message(GRAPH_INITIALIZER, unpackedFloats)
            .message(GRAPH_INITIALIZER, longs)
            .message(GRAPH_INITIALIZER, ints)
            .message(GRAPH_INITIALIZER, halves)
            .message(GRAPH_INITIALIZER, doubles);

    OnnxWeights onnx = readModel(graph);

    assertArrayEquals(
        new float[] {0.5f, -1f, 2f}, onnx.initializers().get("packed").toFloatArray());
    assertArrayEquals(new float[] {1.5f, -3f}, onnx.initializers().get("unpacked").toFloatArray());
    Tensor longTensor = onnx.initializers().get("longs");
    assertArrayEquals(new long[] {1, 3}, longTensor.shape());
    assertArrayEquals(new long[] {0, -1, Long.MAX_VALUE}, longTensor.toLongArray());
    assertEquals(DType.I32, onnx.initializers().get("ints").dtype());
    assertArrayEquals(new long[] {-7, 300}, onnx.initializers().get("ints").toLongArray());
    assertEquals(DType.F16, onnx.initializers().get("halves").dtype());
    assertArrayEquals(new float[] {1f, -2f}, onnx.initializers().get("halves").toFloatArray());
    assertEquals(DType.F64, onnx.initializers().get("doubles").dtype());
    assertArrayEquals(new float[] {0.25f}, onnx.initializers().get("doubles").toFloatArray());
  }

  @Test
  void externalDataIsNotSupported() throws IOException {
    ProtoBytes external =
        ProtoBytes.message()
            .varint(TENSOR_DIMS, 4)
            .varint(TENSOR_DATA_TYPE, FLOAT)
            .string(TENSOR_NAME, "big.weight")
            .message(
                TENSOR_EXTERNAL_DATA,
                ProtoBytes.message().string(1, "location").string(2, "weights.bin"))
            .varint(TENSOR_DATA_LOCATION, 1);
    writeModel(ProtoBytes.message().message(GRAPH_INITIALIZER, external));
    MalformedWeightsException e =
        assertThrows(MalformedWeightsException.class, () -> OnnxWeights.read(file));
    assertTrue(
        e.getMessage().startsWith(file + ": initializer big.weight (at byte "), e.getMessage());
    assertTrue(
        e.getMessage().endsWith(") stores its data in an external file, which is not supported"),
        e.getMessage());
  }

  @Test
  void stringTensorsAreNotSupported() throws IOException {
    ProtoBytes strings =
        ProtoBytes.message()
            .varint(TENSOR_DIMS, 1)
            .varint(TENSOR_DATA_TYPE, STRING)
            .string(TENSOR_NAME, "vocab")
            .string(TENSOR_STRING_DATA, "hello");
    writeModel(ProtoBytes.message().message(GRAPH_INITIALIZER, strings));
    MalformedWeightsException e =
        assertThrows(MalformedWeightsException.class, () -> OnnxWeights.read(file));
    assertTrue(
        e.getMessage().endsWith("is a string tensor, which is not supported"), e.getMessage());
    assertTrue(e.getMessage().contains("initializer vocab"), e.getMessage());
  }

  @Test
  void unknownDataTypeIsReported() throws IOException {
    ProtoBytes float8 =
        ProtoBytes.message()
            .varint(TENSOR_DIMS, 1)
            .varint(TENSOR_DATA_TYPE, 17)
            .string(TENSOR_NAME, "q")
            .bytes(TENSOR_RAW_DATA, new byte[1]);
    writeModel(ProtoBytes.message().message(GRAPH_INITIALIZER, float8));
    MalformedWeightsException e =
        assertThrows(MalformedWeightsException.class, () -> OnnxWeights.read(file));
    assertTrue(
        e.getMessage().endsWith(" has data_type 17, which is not supported"), e.getMessage());
  }

  @Test
  void dataThatDoesNotMatchDimsIsReported() throws IOException {
    writeModel(
        ProtoBytes.message()
            .message(GRAPH_INITIALIZER, floatRawTensor("w", new long[] {2, 2}, 1, 2, 3)));
    MalformedWeightsException e =
        assertThrows(MalformedWeightsException.class, () -> OnnxWeights.read(file));
    assertTrue(e.getMessage().startsWith(file + ": initializer w (at byte "), e.getMessage());
    assertTrue(
        e.getMessage().endsWith(") has 12 bytes of data, but dims [2, 2] of F32 need 16"),
        e.getMessage());
  }

  @Test
  void duplicateInitializerIsReported() throws IOException {
    ProtoBytes graph =
        ProtoBytes.message()
            .message(GRAPH_INITIALIZER, floatRawTensor("w", new long[] {1}, 1))
            .message(GRAPH_INITIALIZER, floatRawTensor("w", new long[] {1}, 2));
    writeModel(graph);
    MalformedWeightsException e =
        assertThrows(MalformedWeightsException.class, () -> OnnxWeights.read(file));
    assertTrue(e.getMessage().endsWith(": initializer w appears twice"), e.getMessage());
  }

  @Test
  void modelWithoutGraphIsReported() throws IOException {
    file = directory.resolve("empty.onnx");
    Files.write(file, ProtoBytes.message().varint(MODEL_IR_VERSION, 8).toByteArray());
    MalformedWeightsException e =
        assertThrows(MalformedWeightsException.class, () -> OnnxWeights.read(file));
    assertEquals(file + ": no graph (ModelProto field 7)", e.getMessage());
  }

  @Test
  void truncatedFileIsReported() throws IOException {
    Path whole =
        writeModel(
            ProtoBytes.message()
                .message(GRAPH_INITIALIZER, floatRawTensor("w", new long[] {4}, 1, 2, 3, 4)));
    byte[] bytes = Files.readAllBytes(whole);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 5));
    MalformedWeightsException e =
        assertThrows(MalformedWeightsException.class, () -> OnnxWeights.read(file));
    // The graph field (7) announces more bytes than the shortened file holds.
    assertTrue(e.getMessage().startsWith(file + ": at byte "), e.getMessage());
    assertTrue(e.getMessage().contains("field 7 claims"), e.getMessage());
    assertTrue(e.getMessage().endsWith("remain (truncated file?)"), e.getMessage());
  }

  @Test
  void truncatedVarintIsReported() throws IOException {
    file = directory.resolve("cut.onnx");
    // Tag of field 1 (varint), then a varint whose continuation bit promises more bytes.
    Files.write(file, new byte[] {0x08, (byte) 0x80});
    MalformedWeightsException e =
        assertThrows(MalformedWeightsException.class, () -> OnnxWeights.read(file));
    assertEquals(
        file + ": at byte 1: varint runs past the end of its message (truncated file?)",
        e.getMessage());
  }

  @Test
  void truncatedRealModelIsReported() throws IOException {
    file = directory.resolve("minilm-head.onnx");
    try (InputStream in = getClass().getResourceAsStream("/all-minilm-l6-v2.onnx")) {
      Files.write(file, in.readNBytes(1 << 20));
    }
    MalformedWeightsException e =
        assertThrows(MalformedWeightsException.class, () -> OnnxWeights.read(file));
    assertTrue(e.getMessage().contains("field 7 claims"), e.getMessage());
    assertTrue(e.getMessage().endsWith("remain (truncated file?)"), e.getMessage());
  }

  @Test
  void unsupportedWireTypeIsReported() throws IOException {
    file = directory.resolve("group.onnx");
    // Field 2 with wire type 3 (start group), which ONNX never uses.
    Files.write(file, new byte[] {0x13});
    MalformedWeightsException e =
        assertThrows(MalformedWeightsException.class, () -> OnnxWeights.read(file));
    assertEquals(file + ": at byte 1: field 2 has unsupported wire type 3", e.getMessage());
  }
}
