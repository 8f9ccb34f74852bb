package io.github.r2r.model.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.common.collect.ImmutableMap;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the bytes {@link SafeTensors} writes against layouts written out by hand from the format
 * description, and reads files assembled byte by byte.
 */
class SafeTensorsLayoutTest {
  @TempDir Path directory;

  private static byte[] littleEndianLong(long value) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
  }

  private static byte[] floats(float... values) {
    ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      buffer.putFloat(value);
    }
    return buffer.array();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static Map<String, Tensor> tensors(Tensor... tensors) {
    Map<String, Tensor> map = new LinkedHashMap<>();
    for (Tensor tensor : tensors) {
      map.put(tensor.name(), tensor);
    }
    return map;
  }

  private byte[] writeAndGetBytes(Map<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    Path file = directory.resolve("model.safetensors");
    SafeTensors.write(file, tensors, metadata);
    return Files.readAllBytes(file);
  }

  @Test
  void singleTensorMatchesTheReferenceLayout() throws IOException {
    Tensor tensor = Tensor.ofFloats("attn.0", new long[] {1, 2, 3}, new float[] {0, 1, 2, 3, 4, 5});
    String json = "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}";
    // 64 bytes of JSON: already a multiple of 8, so no padding.
    byte[] expected = concat(littleEndianLong(64), json.getBytes(UTF_8), floats(0, 1, 2, 3, 4, 5));
    assertArrayEquals(expected, writeAndGetBytes(tensors(tensor), Map.of()));
  }

  @Test
  void headerIsPaddedWithSpacesToAMultipleOfEight() throws IOException {
    Tensor tensor =
        Tensor.ofFloats("attn0", new long[] {1, 1, 2, 3}, new float[] {0, 1, 2, 3, 4, 5});
    String json = "{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}";
    // 65 bytes of JSON, padded with 7 spaces to 72.
    byte[] expected =
        concat(littleEndianLong(72), (json + "       ").getBytes(UTF_8), floats(0, 1, 2, 3, 4, 5));
    assertArrayEquals(expected, writeAndGetBytes(tensors(tensor), Map.of()));
  }

  @Test
  void emptyFilesWithAndWithoutMetadata() throws IOException {
    assertArrayEquals(
        concat(littleEndianLong(8), "{}      ".getBytes(UTF_8)),
        writeAndGetBytes(Map.of(), Map.of()));
    // 35 bytes of JSON, padded to 40.
    assertArrayEquals(
        concat(
            littleEndianLong(40), "{\"__metadata__\":{\"framework\":\"pt\"}}     ".getBytes(UTF_8)),
        writeAndGetBytes(Map.of(), Map.of("framework", "pt")));
  }

  @Test
  void tensorsAreOrderedByDescendingAlignmentThenNameWithMetadataFirst() throws IOException {
    Map<String, Tensor> tensors =
        tensors(
            Tensor.ofFloats("b", new long[] {1}, new float[] {2}),
            Tensor.of("a", DType.F16, new long[] {1}, ByteBuffer.wrap(new byte[] {0x00, 0x3C})),
            Tensor.ofFloats("a2", new long[] {1}, new float[] {3}),
            Tensor.ofLongs("c", new long[] {1}, new long[] {7}),
            Tensor.ofInts("d", new long[] {1}, new int[] {9}));
    byte[] file = writeAndGetBytes(tensors, Map.of("z", "last", "format", "pt"));

    ByteBuffer buffer = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength = buffer.getLong(0);
    assertEquals(0, (8 + headerLength) % 8, "data section starts at a multiple of 8");
    String header = new String(file, 8, (int) headerLength, UTF_8);
    String expectedJson =
        "{\"__metadata__\":{\"format\":\"pt\",\"z\":\"last\"},"
            + "\"c\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]},"
            + "\"a2\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]},"
            + "\"d\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[16,20]},"
            + "\"a\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[20,22]}}";
    assertEquals(expectedJson, header.stripTrailing());
    assertEquals(expectedJson.length() + (8 - expectedJson.length() % 8) % 8, header.length());

    int data = 8 + (int) headerLength;
    assertEquals(file.length, data + 22);
    assertEquals(7L, buffer.getLong(data));
    assertEquals(3f, buffer.getFloat(data + 8));
    assertEquals(2f, buffer.getFloat(data + 12));
    assertEquals(9, buffer.getInt(data + 16));
    assertEquals(0x3C00, buffer.getShort(data + 20));
  }

  @Test
  void namesAreOrderedByCodePointAndWrittenAsUtf8() throws IOException {
    // By UTF-16 code unit, U+1F600 (surrogates D83D DE00) would sort before U+FFFD.
    String emoji = "\uD83D\uDE00";
    Map<String, Tensor> tensors =
        tensors(
            Tensor.ofFloats(emoji, new long[0], new float[] {1}),
            Tensor.ofFloats("\uFFFD", new long[0], new float[] {2}),
            Tensor.ofFloats("é<&>\"\\", new long[0], new float[] {3}));
    byte[] file = writeAndGetBytes(tensors, Map.of());
    long headerLength = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    String header = new String(file, 8, (int) headerLength, UTF_8).stripTrailing();
    assertEquals(
        "{\"é<&>\\\"\\\\\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},"
            + "\"\uFFFD\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[4,8]},"
            + "\""
            + emoji
            + "\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[8,12]}}",
        header);
  }

  @Test
  void writtenFileReadsBackInOffsetOrder() throws IOException {
    Map<String, Tensor> tensors =
        tensors(
            Tensor.ofFloats("w", new long[] {2, 2}, new float[] {1, 2, 3, 4}),
            Tensor.ofLongs("ids", new long[] {3}, new long[] {0, 1, 2}));
    Path file = directory.resolve("m.safetensors");
    SafeTensors.write(file, tensors, Map.of("format", "pt"));
    SafeTensors read = SafeTensors.read(file);
    assertEquals(List.of("ids", "w"), List.copyOf(read.tensors().keySet()));
    assertEquals(tensors.get("w"), read.tensors().get("w"));
    assertEquals(tensors.get("ids"), read.tensors().get("ids"));
    assertEquals(Map.of("format", "pt"), read.metadata());
  }

  @Test
  void readsAFileAssembledByHandWithHeaderOutOfOffsetOrder() throws IOException {
    // The header lists "late" first although its data comes second; a scalar and an empty
    // tensor are included; no metadata.
    String json =
        "{\"late\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[8,12]},"
            + "\"early\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},"
            + "\"none\":{\"dtype\":\"BF16\",\"shape\":[0,4],\"data_offsets\":[12,12]}}";
    byte[] data =
        concat(
            littleEndianLong(-3),
            new byte[] {0x00, 0x3C, 0x00, (byte) 0xC0}); // binary16 1.0 and -2.0
    Path file = directory.resolve("hand.safetensors");
    byte[] header = json.getBytes(UTF_8);
    Files.write(file, concat(littleEndianLong(header.length), header, data));

    SafeTensors read = SafeTensors.read(file);
    assertEquals(List.of("early", "late", "none"), List.copyOf(read.tensors().keySet()));
    assertArrayEquals(new long[] {-3}, read.tensors().get("early").toLongArray());
    assertArrayEquals(new long[0], read.tensors().get("early").shape());
    assertArrayEquals(new float[] {1f, -2f}, read.tensors().get("late").toFloatArray());
    assertEquals(DType.BF16, read.tensors().get("none").dtype());
    assertArrayEquals(new long[] {0, 4}, read.tensors().get("none").shape());
    assertEquals(ImmutableMap.of(), read.metadata());
  }

  @Test
  void readsAClasspathResourceWrittenByAnIndependentTool() throws IOException {
    // tiny.safetensors was written with Python's json and struct modules.
    SafeTensors read = SafeTensors.readResource("/io/github/r2r/model/io/tiny.safetensors");
    assertEquals(List.of("ids", "bias"), List.copyOf(read.tensors().keySet()));
    assertArrayEquals(new long[] {0, 1, 2}, read.tensors().get("ids").toLongArray());
    assertArrayEquals(new float[] {0.5f, -1.5f}, read.tensors().get("bias").toFloatArray());
    assertEquals(Map.of("format", "pt"), read.metadata());

    // Writing the same content reproduces the independent tool's bytes.
    Path file = directory.resolve("again.safetensors");
    SafeTensors.write(file, read.tensors(), read.metadata());
    byte[] original;
    try (var in = getClass().getResourceAsStream("tiny.safetensors")) {
      original = in.readAllBytes();
    }
    assertArrayEquals(original, Files.readAllBytes(file));
  }

  @Test
  void missingResourceIsReported() {
    FileNotFoundException e =
        assertThrows(
            FileNotFoundException.class, () -> SafeTensors.readResource("/no/such.safetensors"));
    assertEquals("classpath resource not found: /no/such.safetensors", e.getMessage());
  }

  @Test
  void writeReplacesAnExistingFileAndLeavesNoTemporaryFiles() throws IOException {
    Path file = directory.resolve("model.safetensors");
    Files.writeString(file, "old content");
    SafeTensors.write(
        file, tensors(Tensor.ofFloats("x", new long[] {1}, new float[] {4})), Map.of());
    assertEquals(4f, SafeTensors.read(file).tensors().get("x").toFloatArray()[0]);
    try (Stream<Path> files = Files.list(directory)) {
      assertEquals(
          List.of("model.safetensors"),
          files.map(p -> p.getFileName().toString()).collect(Collectors.toList()));
    }
  }

  @Test
  void writeAsF16ConvertsFloatsAndKeepsIntegers() throws IOException {
    Path file = directory.resolve("half.safetensors");
    SafeTensors.writeAs(
        file,
        tensors(
            Tensor.ofFloats("w", new long[] {3}, new float[] {1f, 0x1.006p0f, -0x1p-24f}),
            Tensor.ofLongs("ids", new long[] {1}, new long[] {5})),
        Map.of(),
        DType.F16);
    byte[] bytes = Files.readAllBytes(file);
    long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    assertEquals(
        "{\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]},"
            + "\"w\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[8,14]}}",
        new String(bytes, 8, (int) headerLength, UTF_8).stripTrailing());
    ByteBuffer data =
        ByteBuffer.wrap(bytes, 8 + (int) headerLength, 14).slice().order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(5L, data.getLong(0));
    assertEquals(0x3C00, data.getShort(8) & 0xFFFF);
    assertEquals(0x3C02, data.getShort(10) & 0xFFFF);
    assertEquals(0x8001, data.getShort(12) & 0xFFFF);
  }

  @Test
  void writeRejectsInconsistentInput() {
    Path file = directory.resolve("bad.safetensors");
    Tensor tensor = Tensor.ofFloats("w", new long[] {1}, new float[] {1});
    IllegalArgumentException keyMismatch =
        assertThrows(
            IllegalArgumentException.class,
            () -> SafeTensors.write(file, Map.of("v", tensor), Map.of()));
    assertEquals("key v maps to a tensor named w", keyMismatch.getMessage());
    IllegalArgumentException reserved =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SafeTensors.write(
                    file, Map.of("__metadata__", tensor.withName("__metadata__")), Map.of()));
    assertEquals("a tensor may not be named __metadata__", reserved.getMessage());
    IllegalArgumentException surrogate =
        assertThrows(
            IllegalArgumentException.class,
            () -> SafeTensors.write(file, Map.of("a\uD800", tensor.withName("a\uD800")), Map.of()));
    assertEquals(
        "tensor name a\uD800 contains an unpaired surrogate, which UTF-8 cannot encode",
        surrogate.getMessage());
    IllegalArgumentException integerTarget =
        assertThrows(
            IllegalArgumentException.class,
            () -> SafeTensors.writeAs(file, Map.of("w", tensor), Map.of(), DType.I32));
    assertEquals("floatType must be F16, BF16 or F32, was I32", integerTarget.getMessage());
    assertEquals(false, Files.exists(file));
  }
}
