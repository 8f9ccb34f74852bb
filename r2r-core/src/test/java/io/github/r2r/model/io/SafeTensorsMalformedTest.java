package io.github.r2r.model.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Invalid files must fail with a message that names the file and the problem. */
class SafeTensorsMalformedTest {
  @TempDir Path directory;

  private Path file;

  private static byte[] littleEndianLong(long value) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
  }

  /** Writes a file with the given length prefix, header bytes and data-section length. */
  private Path write(long headerLength, byte[] header, int dataBytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(littleEndianLong(headerLength));
    out.writeBytes(header);
    out.writeBytes(new byte[dataBytes]);
    file = directory.resolve("bad.safetensors");
    Files.write(file, out.toByteArray());
    return file;
  }

  private Path write(String json, int dataBytes) throws IOException {
    byte[] header = json.getBytes(UTF_8);
    return write(header.length, header, dataBytes);
  }

  private void assertMalformed(String expectedProblem) {
    MalformedWeightsException e =
        assertThrows(MalformedWeightsException.class, () -> SafeTensors.read(file));
    assertEquals(file + ": " + expectedProblem, e.getMessage());
  }

  private static String tensor(String name, String dtype, String shape, long begin, long end) {
    return String.format(
        "\"%s\":{\"dtype\":\"%s\",\"shape\":%s,\"data_offsets\":[%d,%d]}",
        name, dtype, shape, begin, end);
  }

  @Test
  void fileShorterThanTheLengthPrefix() throws IOException {
    file = directory.resolve("short.safetensors");
    Files.write(file, new byte[] {8, 0, 0});
    assertMalformed("file has 3 bytes, fewer than the 8-byte header length prefix");
  }

  @Test
  void headerLengthBeyondTheFile() throws IOException {
    write(1000, "{}".getBytes(UTF_8), 10);
    assertMalformed(
        "header length 1000 exceeds the 12 bytes that follow the length prefix (truncated file?)");
  }

  @Test
  void headerLengthBeyondTheLimit() throws IOException {
    write(-1, "{}".getBytes(UTF_8), 0);
    assertMalformed("header length 18446744073709551615 exceeds the limit of 100000000 bytes");
  }

  @Test
  void headerThatIsNotUtf8() throws IOException {
    byte[] header = {'{', '"', (byte) 0xFF, '"', ':', '1', '}'};
    write(header.length, header, 0);
    assertMalformed("header is not valid UTF-8");
  }

  @Test
  void headerThatIsNotJson() throws IOException {
    write("{\"w\":{\"dtype\":\"F32\",", 0);
    assertMalformed("header is not valid JSON: End of input at line 1 column 21 path $.w.dtype");
  }

  @Test
  void headerThatIsLenientJsonOnly() throws IOException {
    write("{w:{}}", 0);
    assertMalformed("header is not valid JSON: malformed JSON at line 1 column 3 path $.");
  }

  @Test
  void headerThatIsNotAnObject() throws IOException {
    write("[1,2]", 0);
    assertMalformed("the header should be a JSON object, found array");
  }

  @Test
  void contentAfterTheHeaderObject() throws IOException {
    write("{} {}", 0);
    assertMalformed("header has content after its JSON object");
  }

  @Test
  void unknownDtype() throws IOException {
    write("{" + tensor("w", "F8_E4M3", "[2]", 0, 2) + "}", 2);
    assertMalformed("tensor w has unknown dtype \"F8_E4M3\"");
  }

  @Test
  void offsetsThatDoNotMatchShapeAndDtype() throws IOException {
    write("{" + tensor("w", "F32", "[3]", 0, 8) + "}", 8);
    assertMalformed(
        "tensor w has data_offsets [0, 8] spanning 8 bytes, but shape [3] of F32 needs 12");
  }

  @Test
  void truncatedDataSection() throws IOException {
    write("{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[3]", 8, 20) + "}", 12);
    assertMalformed(
        "tensor b has data_offsets [8, 20] beyond the 12-byte data section (truncated file?)");
  }

  @Test
  void overlappingTensors() throws IOException {
    write("{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[2]", 4, 12) + "}", 12);
    assertMalformed(
        "tensor b has data_offsets [4, 12] overlapping the previous tensor, which ends at 8");
  }

  @Test
  void gapBetweenTensors() throws IOException {
    write("{" + tensor("a", "F32", "[1]", 0, 4) + "," + tensor("b", "F32", "[1]", 8, 12) + "}", 12);
    assertMalformed("tensor b has data_offsets [8, 12] leaving a gap after offset 4");
  }

  @Test
  void offsetsThatEndBeforeTheyBegin() throws IOException {
    write("{" + tensor("a", "F32", "[1]", 4, 0) + "}", 4);
    assertMalformed("tensor a has data_offsets [4, 0] that end before they begin");
  }

  @Test
  void bytesAfterTheLastTensor() throws IOException {
    write("{" + tensor("a", "F32", "[1]", 0, 4) + "}", 8);
    assertMalformed("data section has 4 bytes after the last tensor, which ends at offset 4");
  }

  @Test
  void duplicateTensorName() throws IOException {
    write("{" + tensor("a", "F32", "[1]", 0, 4) + "," + tensor("a", "F32", "[1]", 4, 8) + "}", 8);
    assertMalformed("tensor a appears twice in the header");
  }

  @Test
  void missingField() throws IOException {
    write("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4);
    assertMalformed("tensor a has no \"shape\"");
  }

  @Test
  void negativeDimension() throws IOException {
    write("{" + tensor("a", "F32", "[-1]", 0, 4) + "}", 4);
    assertMalformed("tensor a shape has negative element -1");
  }

  @Test
  void dimensionGivenAsString() throws IOException {
    write("{" + tensor("a", "F32", "[\"1\"]", 0, 4) + "}", 4);
    assertMalformed("tensor a shape element should be a JSON number, found string");
  }

  @Test
  void wrongNumberOfOffsets() throws IOException {
    write("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 4);
    assertMalformed("tensor a has 3 data_offsets, not 2: [0, 4, 8]");
  }

  @Test
  void shapeWhoseSizeOverflows() throws IOException {
    write("{" + tensor("a", "F32", "[4294967296,4294967296]", 0, 4) + "}", 4);
    assertMalformed("tensor a: shape [4294967296, 4294967296] overflows a long");
  }

  @Test
  void metadataValueThatIsNotAString() throws IOException {
    write("{\"__metadata__\":{\"epochs\":3}}", 0);
    assertMalformed("__metadata__ entry epochs should be a JSON string, found number");
  }
}
