package io.github.r2r.model.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SafeTensorsRoundTripProperties {

  /** Names mixing ASCII, Latin, CJK and astral-plane (surrogate pair) characters. */
  private static Arbitrary<String> names() {
    Arbitrary<Integer> codePoint =
        Arbitraries.oneOf(
            Arbitraries.integers().between(0x20, 0x7E),
            Arbitraries.integers().between(0xA0, 0x24F),
            Arbitraries.integers().between(0x4E00, 0x4E80),
            Arbitraries.integers().between(0x1F300, 0x1F64F));
    return codePoint
        .list()
        .ofMinSize(1)
        .ofMaxSize(10)
        .map(
            points ->
                new String(points.stream().mapToInt(Integer::intValue).toArray(), 0, points.size()))
        .filter(name -> !name.equals("__metadata__"));
  }

  private static Arbitrary<long[]> shapes() {
    // Rank 0 (scalars) to 3, dimensions including 0.
    return Arbitraries.longs()
        .between(0, 5)
        .list()
        .ofMaxSize(3)
        .map(dims -> dims.stream().mapToLong(Long::longValue).toArray());
  }

  private static Arbitrary<Tensor> tensorWithName(String name) {
    Arbitrary<DType> dtypes = Arbitraries.of(DType.F32, DType.F16, DType.I64, DType.BF16, DType.U8);
    return Combinators.combine(dtypes, shapes())
        .flatAs(
            (dtype, shape) -> {
              int bytes =
                  (int) (Arrays.stream(shape).reduce(1, (a, b) -> a * b) * dtype.byteSize());
              return Arbitraries.bytes()
                  .array(byte[].class)
                  .ofSize(bytes)
                  .map(data -> Tensor.of(name, dtype, shape, ByteBuffer.wrap(data)));
            });
  }

  @Provide
  Arbitrary<Map<String, Tensor>> tensorMaps() {
    return names()
        .list()
        .uniqueElements()
        .ofMaxSize(6)
        .flatMap(
            names ->
                Combinators.combine(
                        names.stream()
                            .map(SafeTensorsRoundTripProperties::tensorWithName)
                            .collect(java.util.stream.Collectors.toList()))
                    .as(
                        tensors -> {
                          Map<String, Tensor> map = new LinkedHashMap<>();
                          tensors.forEach(t -> map.put(t.name(), t));
                          return map;
                        }));
  }

  @Provide
  Arbitrary<Map<String, String>> metadataMaps() {
    return Arbitraries.maps(names(), names()).ofMaxSize(3);
  }

  @Property(tries = 150)
  void writeThenReadGivesTheSameTensors(
      @ForAll("tensorMaps") Map<String, Tensor> tensors,
      @ForAll("metadataMaps") Map<String, String> metadata)
      throws IOException {
    Path file = Files.createTempFile("roundtrip", ".safetensors");
    try {
      SafeTensors.write(file, tensors, metadata);
      assertLayoutIsContiguousAndAligned(Files.readAllBytes(file), tensors.size());
      SafeTensors read = SafeTensors.read(file);
      assertEquals(tensors, read.tensors());
      assertEquals(metadata, read.metadata());
    } finally {
      Files.delete(file);
    }
  }

  /**
   * Decodes the file by hand: the length prefix, a JSON header whose tensors (in header order)
   * occupy consecutive byte ranges from 0 to the end of the file, and a data section that starts at
   * a multiple of 8.
   */
  private static void assertLayoutIsContiguousAndAligned(byte[] file, int tensorCount) {
    long headerLength = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    assertEquals(0, headerLength % 8, "header length is a multiple of 8");
    JsonObject header =
        JsonParser.parseString(new String(file, 8, (int) headerLength, UTF_8)).getAsJsonObject();
    long expectedBegin = 0;
    int tensors = 0;
    for (Map.Entry<String, JsonElement> entry : header.entrySet()) {
      if (entry.getKey().equals("__metadata__")) {
        assertEquals(0, tensors, "metadata comes first");
        continue;
      }
      JsonArray offsets = entry.getValue().getAsJsonObject().getAsJsonArray("data_offsets");
      assertEquals(expectedBegin, offsets.get(0).getAsLong(), entry.getKey());
      expectedBegin = offsets.get(1).getAsLong();
      tensors++;
    }
    assertEquals(tensorCount, tensors);
    assertEquals(file.length, 8 + headerLength + expectedBegin);
  }

  @Provide
  Arbitrary<float[]> moderateFloats() {
    // Any float from 2^-27 (below binary16's subnormals) to just under 2^15, either sign.
    Arbitrary<Float> value =
        Combinators.combine(
                Arbitraries.integers().between(100, 141),
                Arbitraries.integers().between(0, 0x7FFFFF),
                Arbitraries.of(0, 0x80000000))
            .as(
                (exponent, mantissa, sign) ->
                    Float.intBitsToFloat(sign | exponent << 23 | mantissa));
    return value.array(float[].class).ofMinSize(1).ofMaxSize(40);
  }

  /**
   * Stored as F16, each value is within half a binary16 unit in the last place of the original: a
   * relative error of at most 2^-11 for normal values and an absolute error of at most 2^-25 among
   * subnormals. Integer tensors are stored unchanged.
   */
  @Property(tries = 150)
  void writeAsF16StaysWithinHalfAnF16Ulp(@ForAll("moderateFloats") float[] values)
      throws IOException {
    Tensor weights = Tensor.ofFloats("weights", new long[] {values.length}, values);
    Tensor ids = Tensor.ofLongs("ids", new long[] {2}, new long[] {Long.MIN_VALUE, 42});
    Path file = Files.createTempFile("half", ".safetensors");
    try {
      SafeTensors.writeAs(file, Map.of("weights", weights, "ids", ids), Map.of(), DType.F16);
      SafeTensors read = SafeTensors.read(file);
      Tensor half = read.tensors().get("weights");
      assertEquals(DType.F16, half.dtype());
      assertArrayEquals(new long[] {values.length}, half.shape());
      float[] stored = half.toFloatArray();
      for (int i = 0; i < values.length; i++) {
        double error = Math.abs((double) stored[i] - values[i]);
        double bound = Math.max(Math.abs((double) values[i]) * 0x1p-11, 0x1p-25);
        float original = values[i];
        float result = stored[i];
        assertTrue(error <= bound, () -> original + " stored as " + result);
      }
      assertEquals(ids, read.tensors().get("ids"));
    } finally {
      Files.delete(file);
    }
  }

  /** Values that binary16 represents exactly survive F32 -> F16 -> F32 unchanged. */
  @Property(tries = 100)
  void representableValuesSurviveF16Exactly(@ForAll("halfRepresentable") List<Float> values)
      throws IOException {
    float[] array = new float[values.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = values.get(i);
    }
    Path file = Files.createTempFile("exact", ".safetensors");
    try {
      SafeTensors.writeAs(
          file,
          Map.of("w", Tensor.ofFloats("w", new long[] {array.length}, array)),
          Map.of(),
          DType.F16);
      assertArrayEquals(array, SafeTensors.read(file).tensors().get("w").toFloatArray());
    } finally {
      Files.delete(file);
    }
  }

  @Provide
  Arbitrary<List<Float>> halfRepresentable() {
    // m * 2^e with an 11-bit integer m and e from -24 to 5 is exact in binary16 (at most 65504).
    return Combinators.combine(
            Arbitraries.integers().between(-2047, 2047), Arbitraries.integers().between(-24, 5))
        .as((m, e) -> (float) Math.scalb((double) m, e))
        .list()
        .ofMinSize(1)
        .ofMaxSize(20);
  }
}
