package io.github.r2r.model.io;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableMap;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import io.github.r2r.util.AtomicFiles;
import java.io.EOFException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The tensors and metadata of a <a
 * href="https://github.com/huggingface/safetensors">safetensors</a> file, with its reader and
 * writer.
 *
 * <p>Format: an unsigned 64-bit little-endian header length {@code N}; {@code N} bytes of UTF-8
 * JSON mapping each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} plus an
 * optional {@code "__metadata__"} object of strings; then the data section, in which each tensor
 * occupies {@code [begin, end)} as little-endian row-major elements.
 *
 * <p>Reading is as strict as the reference implementation: the tensors must tile the data section
 * exactly (no gaps, no overlaps, nothing after the last tensor) and each must have exactly the
 * bytes its shape and type need. Tensor data is memory-mapped, not copied.
 *
 * <p>Writing lays files out as the reference implementation ({@code safetensors.torch.save_file})
 * does, so that for the same tensors the bytes are the same: tensors ordered by descending type
 * alignment, then by name (code point order); compact JSON with {@code __metadata__} first; the
 * header padded with spaces so that the data section starts at a multiple of 8 bytes. Two details
 * the reference leaves open or does differently: metadata entries are written sorted by key (the
 * reference uses hash order), and U+2028 and U+2029 in names are written as JSON escapes.
 */
public final class SafeTensors {
  /** The reference implementation's limit, which guards against absurd allocations. */
  static final long MAX_HEADER_BYTES = 100_000_000L;

  private static final String METADATA_KEY = "__metadata__";
  private static final int LENGTH_PREFIX_BYTES = 8;
  private static final int DATA_ALIGNMENT = 8;

  /** Orders names as Rust compares strings: by code point, unlike {@link String#compareTo}. */
  private static final Comparator<String> CODE_POINT_ORDER =
      (a, b) -> Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());

  private final ImmutableMap<String, Tensor> tensors;
  private final ImmutableMap<String, String> metadata;

  private SafeTensors(ImmutableMap<String, Tensor> tensors, ImmutableMap<String, String> metadata) {
    this.tensors = tensors;
    this.metadata = metadata;
  }

  /** {@return the tensors by name, in the order of their data in the file} */
  public ImmutableMap<String, Tensor> tensors() {
    return tensors;
  }

  /** {@return the {@code __metadata__} entries; empty when the file has none} */
  public ImmutableMap<String, String> metadata() {
    return metadata;
  }

  /**
   * Reads a safetensors file, memory-mapping each tensor's data.
   *
   * @param file the file
   * @return the file's tensors and metadata
   * @throws IOException if the file cannot be read
   * @throws MalformedWeightsException if the file is not valid safetensors; the message names the
   *     file and the tensor or header problem
   */
  public static SafeTensors read(Path file) throws IOException {
    return read(file, file.toString());
  }

  /**
   * Reads a safetensors classpath resource of the context class loader, see {@link
   * #readResource(ClassLoader, String)}.
   *
   * @param resource the resource name, leading {@code /} optional
   * @return the resource's tensors and metadata
   * @throws java.io.FileNotFoundException if there is no such resource
   * @throws MalformedWeightsException if the resource is not valid safetensors
   * @throws IOException if the resource or its temporary copy cannot be read or written
   */
  public static SafeTensors readResource(String resource) throws IOException {
    return readResource(ResourceFiles.defaultClassLoader(), resource);
  }

  /**
   * Reads a safetensors classpath resource (leading {@code /} optional) by way of a temporary copy
   * that is deleted again, so that the data can be memory-mapped.
   *
   * @param loader the class loader to find the resource with
   * @param resource the resource name
   * @return the resource's tensors and metadata
   * @throws java.io.FileNotFoundException if there is no such resource
   * @throws MalformedWeightsException if the resource is not valid safetensors
   * @throws IOException if the resource or its temporary copy cannot be read or written
   */
  public static SafeTensors readResource(ClassLoader loader, String resource) throws IOException {
    return ResourceFiles.readThroughTemporaryCopy(
        loader, resource, copy -> read(copy, "classpath:" + resource));
  }

  private static SafeTensors read(Path file, String source) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long fileSize = channel.size();
      if (fileSize < LENGTH_PREFIX_BYTES) {
        throw malformed(
            source, "file has %d bytes, fewer than the 8-byte header length prefix", fileSize);
      }
      long headerLength = readFully(channel, 0, LENGTH_PREFIX_BYTES).getLong(0);
      if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
        throw malformed(
            source,
            "header length %s exceeds the limit of %d bytes",
            Long.toUnsignedString(headerLength),
            MAX_HEADER_BYTES);
      }
      if (headerLength > fileSize - LENGTH_PREFIX_BYTES) {
        throw malformed(
            source,
            "header length %d exceeds the %d bytes that follow the length prefix (truncated file?)",
            headerLength,
            fileSize - LENGTH_PREFIX_BYTES);
      }
      String json = decodeUtf8(source, readFully(channel, LENGTH_PREFIX_BYTES, (int) headerLength));
      Header header = parseHeader(source, json);
      long dataStart = LENGTH_PREFIX_BYTES + headerLength;
      List<TensorEntry> layout = validateLayout(source, header.tensors, fileSize - dataStart);
      ImmutableMap.Builder<String, Tensor> tensors = ImmutableMap.builder();
      for (TensorEntry entry : layout) {
        ByteBuffer data =
            entry.byteCount() == 0
                ? ByteBuffer.allocate(0)
                : channel.map(
                    FileChannel.MapMode.READ_ONLY, dataStart + entry.begin, entry.byteCount());
        tensors.put(entry.name, Tensor.of(entry.name, entry.dtype, entry.shape, data));
      }
      return new SafeTensors(tensors.build(), ImmutableMap.copyOf(header.metadata));
    }
  }

  private static ByteBuffer readFully(FileChannel channel, long position, int length)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new EOFException("file ended while reading " + length + " bytes at " + position);
      }
    }
    return buffer.flip();
  }

  private static String decodeUtf8(String source, ByteBuffer bytes)
      throws MalformedWeightsException {
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(bytes);
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw malformed(source, e, "header is not valid UTF-8");
    }
  }

  /** One tensor's header entry. */
  private static final class TensorEntry {
    final String name;
    final DType dtype;
    final long[] shape;
    final long begin;
    final long end;

    TensorEntry(String name, DType dtype, long[] shape, long begin, long end) {
      this.name = name;
      this.dtype = dtype;
      this.shape = shape;
      this.begin = begin;
      this.end = end;
    }

    long byteCount() {
      return end - begin;
    }

    String offsets() {
      return "[" + begin + ", " + end + "]";
    }
  }

  private static final class Header {
    final List<TensorEntry> tensors = new ArrayList<>();
    final Map<String, String> metadata = new LinkedHashMap<>();
  }

  private static Header parseHeader(String source, String json) throws MalformedWeightsException {
    JsonReader reader = new JsonReader(new StringReader(json));
    reader.setStrictness(Strictness.STRICT);
    Header header = new Header();
    try {
      expect(source, reader, JsonToken.BEGIN_OBJECT, "the header");
      reader.beginObject();
      boolean sawMetadata = false;
      while (reader.hasNext()) {
        String name = reader.nextName();
        if (name.equals(METADATA_KEY)) {
          if (sawMetadata) {
            throw malformed(source, "header has %s twice", METADATA_KEY);
          }
          sawMetadata = true;
          parseMetadata(source, reader, header.metadata);
        } else {
          for (TensorEntry existing : header.tensors) {
            if (existing.name.equals(name)) {
              throw malformed(source, "tensor %s appears twice in the header", name);
            }
          }
          header.tensors.add(parseTensorEntry(source, reader, name));
        }
      }
      reader.endObject();
      requireEndOfHeader(source, reader);
    } catch (MalformedWeightsException e) {
      throw e;
    } catch (IOException | IllegalStateException | NumberFormatException e) {
      throw malformed(source, e, "header is not valid JSON: %s", describeJsonError(e));
    }
    return header;
  }

  /** Gson's message without its advice to parse leniently, which does not apply here. */
  private static String describeJsonError(Exception e) {
    String firstLine = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    return firstLine.replace(
        "Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON",
        "malformed JSON");
  }

  private static void requireEndOfHeader(String source, JsonReader reader)
      throws MalformedWeightsException {
    boolean atEnd;
    try {
      atEnd = reader.peek() == JsonToken.END_DOCUMENT;
    } catch (IOException e) {
      // A strict reader refuses to even look at a second top-level value.
      atEnd = false;
    }
    if (!atEnd) {
      throw malformed(source, "header has content after its JSON object");
    }
  }

  private static void parseMetadata(String source, JsonReader reader, Map<String, String> metadata)
      throws IOException {
    if (reader.peek() == JsonToken.NULL) {
      reader.nextNull();
      return;
    }
    expect(source, reader, JsonToken.BEGIN_OBJECT, METADATA_KEY);
    reader.beginObject();
    while (reader.hasNext()) {
      String key = reader.nextName();
      expect(source, reader, JsonToken.STRING, METADATA_KEY + " entry " + key);
      if (metadata.put(key, reader.nextString()) != null) {
        throw malformed(source, "%s has key %s twice", METADATA_KEY, key);
      }
    }
    reader.endObject();
  }

  private static TensorEntry parseTensorEntry(String source, JsonReader reader, String name)
      throws IOException {
    String what = "tensor " + name;
    expect(source, reader, JsonToken.BEGIN_OBJECT, what);
    reader.beginObject();
    DType dtype = null;
    long[] shape = null;
    long[] offsets = null;
    while (reader.hasNext()) {
      String field = reader.nextName();
      switch (field) {
        case "dtype":
          expect(source, reader, JsonToken.STRING, what + " dtype");
          String dtypeName = reader.nextString();
          dtype =
              DType.fromSafetensorsName(dtypeName)
                  .orElseThrow(
                      () ->
                          malformed(source, "tensor %s has unknown dtype \"%s\"", name, dtypeName));
          break;
        case "shape":
          shape = readNaturalNumbers(source, reader, what + " shape");
          break;
        case "data_offsets":
          offsets = readNaturalNumbers(source, reader, what + " data_offsets");
          if (offsets.length != 2) {
            throw malformed(
                source,
                "tensor %s has %d data_offsets, not 2: %s",
                name,
                offsets.length,
                Arrays.toString(offsets));
          }
          break;
        default:
          // The reference implementation ignores unknown fields; so do we.
          reader.skipValue();
      }
    }
    reader.endObject();
    requirePresent(source, name, "dtype", dtype);
    requirePresent(source, name, "shape", shape);
    requirePresent(source, name, "data_offsets", offsets);
    return new TensorEntry(name, dtype, shape, offsets[0], offsets[1]);
  }

  private static long[] readNaturalNumbers(String source, JsonReader reader, String what)
      throws IOException {
    expect(source, reader, JsonToken.BEGIN_ARRAY, what);
    reader.beginArray();
    List<Long> values = new ArrayList<>();
    while (reader.hasNext()) {
      expect(source, reader, JsonToken.NUMBER, what + " element");
      long value = reader.nextLong();
      if (value < 0) {
        throw malformed(source, "%s has negative element %d", what, value);
      }
      values.add(value);
    }
    reader.endArray();
    return values.stream().mapToLong(Long::longValue).toArray();
  }

  private static void expect(String source, JsonReader reader, JsonToken token, String what)
      throws IOException {
    JsonToken actual = reader.peek();
    if (actual != token) {
      throw malformed(
          source, "%s should be a JSON %s, found %s", what, describe(token), describe(actual));
    }
  }

  private static String describe(JsonToken token) {
    switch (token) {
      case BEGIN_OBJECT:
        return "object";
      case BEGIN_ARRAY:
        return "array";
      case END_DOCUMENT:
        return "the end of the header";
      default:
        return token.name().toLowerCase(Locale.ROOT);
    }
  }

  private static void requirePresent(String source, String tensor, String field, Object value)
      throws MalformedWeightsException {
    if (value == null) {
      throw malformed(source, "tensor %s has no \"%s\"", tensor, field);
    }
  }

  /**
   * Checks that the entries tile {@code [0, dataLength)} exactly, each with the bytes its shape
   * needs, and returns them in offset order.
   */
  private static List<TensorEntry> validateLayout(
      String source, List<TensorEntry> entries, long dataLength) throws MalformedWeightsException {
    List<TensorEntry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.<TensorEntry>comparingLong(e -> e.begin).thenComparingLong(e -> e.end));
    long expectedBegin = 0;
    for (TensorEntry entry : sorted) {
      if (entry.end < entry.begin) {
        throw malformed(
            source,
            "tensor %s has data_offsets %s that end before they begin",
            entry.name,
            entry.offsets());
      }
      if (entry.end > dataLength) {
        throw malformed(
            source,
            "tensor %s has data_offsets %s beyond the %d-byte data section (truncated file?)",
            entry.name,
            entry.offsets(),
            dataLength);
      }
      if (entry.begin < expectedBegin) {
        throw malformed(
            source,
            "tensor %s has data_offsets %s overlapping the previous tensor, which ends at %d",
            entry.name,
            entry.offsets(),
            expectedBegin);
      }
      if (entry.begin > expectedBegin) {
        throw malformed(
            source,
            "tensor %s has data_offsets %s leaving a gap after offset %d",
            entry.name,
            entry.offsets(),
            expectedBegin);
      }
      long needed;
      try {
        needed = Tensor.requiredBytes(entry.name, entry.dtype, entry.shape);
      } catch (IllegalArgumentException e) {
        throw malformed(source, e, "%s", e.getMessage());
      }
      if (entry.byteCount() != needed) {
        throw malformed(
            source,
            "tensor %s has data_offsets %s spanning %d bytes, but shape %s of %s needs %d",
            entry.name,
            entry.offsets(),
            entry.byteCount(),
            Arrays.toString(entry.shape),
            entry.dtype,
            needed);
      }
      if (needed > Integer.MAX_VALUE) {
        throw malformed(
            source,
            "tensor %s has %d bytes; tensors over 2 GiB are not supported",
            entry.name,
            needed);
      }
      expectedBegin = entry.end;
    }
    if (expectedBegin != dataLength) {
      throw malformed(
          source,
          "data section has %d bytes after the last tensor, which ends at offset %d",
          dataLength - expectedBegin,
          expectedBegin);
    }
    return sorted;
  }

  /**
   * Writes {@code tensors} and {@code metadata} as a safetensors file, atomically: the file is
   * written under a temporary name in the same directory and then moved into place, so readers
   * never see a partial file.
   *
   * @param file the file to write; replaced if it exists
   * @param tensors the tensors; each key must equal its tensor's {@link Tensor#name()}
   * @param metadata string entries for the {@code __metadata__} object; omitted when empty
   * @throws IllegalArgumentException if a key differs from its tensor's name, a tensor is named
   *     {@code __metadata__}, or a name holds an unpaired surrogate (which UTF-8 cannot encode)
   * @throws NullPointerException if {@code file} or a tensor is null
   * @throws IOException if the file cannot be written
   */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    write(file, tensors, metadata, Tensor::dtype, Function.identity());
  }

  /**
   * Like {@link #write}, but stores every floating-point tensor as {@code floatType} ({@link
   * DType#F16}, {@link DType#BF16} or {@link DType#F32}), converted as by {@link
   * Tensor#toFloatType}; other tensors are stored unchanged. Tensors are converted one at a time
   * while writing, so memory holds at most one converted tensor.
   *
   * @param file the file to write; replaced if it exists
   * @param tensors the tensors; each key must equal its tensor's {@link Tensor#name()}
   * @param metadata string entries for the {@code __metadata__} object; omitted when empty
   * @param floatType {@link DType#F16}, {@link DType#BF16} or {@link DType#F32}
   * @throws IllegalArgumentException if {@code floatType} is none of those, or as for {@link #write}
   * @throws NullPointerException if {@code file} or a tensor is null
   * @throws IOException if the file cannot be written
   */
  public static void writeAs(
      Path file, Map<String, Tensor> tensors, Map<String, String> metadata, DType floatType)
      throws IOException {
    checkArgument(
        floatType == DType.F16 || floatType == DType.BF16 || floatType == DType.F32,
        "floatType must be F16, BF16 or F32, was %s",
        floatType);
    write(
        file,
        tensors,
        metadata,
        tensor -> tensor.dtype().isFloatingPoint() ? floatType : tensor.dtype(),
        tensor -> tensor.dtype().isFloatingPoint() ? tensor.toFloatType(floatType) : tensor);
  }

  private static void write(
      Path file,
      Map<String, Tensor> tensors,
      Map<String, String> metadata,
      Function<Tensor, DType> storedType,
      Function<Tensor, Tensor> conversion)
      throws IOException {
    checkNotNull(file, "file");
    List<Tensor> ordered = new ArrayList<>(tensors.size());
    for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
      Tensor tensor = checkNotNull(entry.getValue(), "tensor %s is null", entry.getKey());
      checkArgument(
          entry.getKey().equals(tensor.name()),
          "key %s maps to a tensor named %s",
          entry.getKey(),
          tensor.name());
      checkArgument(
          !tensor.name().equals(METADATA_KEY), "a tensor may not be named %s", METADATA_KEY);
      checkArgument(
          isWellFormedUtf16(tensor.name()),
          "tensor name %s contains an unpaired surrogate, which UTF-8 cannot encode",
          tensor.name());
      ordered.add(tensor);
    }
    ordered.sort(
        Comparator.comparing(storedType, Comparator.reverseOrder())
            .thenComparing(Tensor::name, CODE_POINT_ORDER));
    ByteBuffer header = encodeHeader(ordered, metadata, storedType);

    AtomicFiles.writeBytes(file, channel -> {
      writeFully(channel, header);
      for (Tensor tensor : ordered) {
        writeFully(channel, conversion.apply(tensor).data());
      }
    });
  }

  private static boolean isWellFormedUtf16(String text) {
    return StandardCharsets.UTF_8.newEncoder().canEncode(text);
  }

  /** The length prefix and the padded JSON header. */
  private static ByteBuffer encodeHeader(
      List<Tensor> ordered, Map<String, String> metadata, Function<Tensor, DType> storedType)
      throws IOException {
    StringWriter json = new StringWriter();
    JsonWriter writer = new JsonWriter(json);
    writer.setHtmlSafe(false);
    writer.beginObject();
    if (!metadata.isEmpty()) {
      Map<String, String> sorted = new TreeMap<>(CODE_POINT_ORDER);
      for (Map.Entry<String, String> entry : metadata.entrySet()) {
        checkNotNull(entry.getKey(), "metadata key is null");
        checkNotNull(entry.getValue(), "metadata value for %s is null", entry.getKey());
        checkArgument(
            isWellFormedUtf16(entry.getKey()) && isWellFormedUtf16(entry.getValue()),
            "metadata entry %s contains an unpaired surrogate, which UTF-8 cannot encode",
            entry.getKey());
        sorted.put(entry.getKey(), entry.getValue());
      }
      writer.name(METADATA_KEY).beginObject();
      for (Map.Entry<String, String> entry : sorted.entrySet()) {
        writer.name(entry.getKey()).value(entry.getValue());
      }
      writer.endObject();
    }
    long offset = 0;
    for (Tensor tensor : ordered) {
      DType dtype = storedType.apply(tensor);
      long[] shape = tensor.shape();
      long end = offset + Tensor.requiredBytes(tensor.name(), dtype, shape);
      writer.name(tensor.name()).beginObject();
      writer.name("dtype").value(dtype.safetensorsName());
      writer.name("shape").beginArray();
      for (long dimension : shape) {
        writer.value(dimension);
      }
      writer.endArray();
      writer.name("data_offsets").beginArray().value(offset).value(end).endArray();
      writer.endObject();
      offset = end;
    }
    writer.endObject();
    writer.close();

    byte[] jsonBytes = json.toString().getBytes(StandardCharsets.UTF_8);
    int padding = (DATA_ALIGNMENT - jsonBytes.length % DATA_ALIGNMENT) % DATA_ALIGNMENT;
    int headerLength = jsonBytes.length + padding;
    ByteBuffer header =
        ByteBuffer.allocate(LENGTH_PREFIX_BYTES + headerLength).order(ByteOrder.LITTLE_ENDIAN);
    header.putLong(headerLength).put(jsonBytes);
    while (header.hasRemaining()) {
      header.put((byte) ' ');
    }
    return header.flip();
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private static MalformedWeightsException malformed(String source, String format, Object... args) {
    return new MalformedWeightsException(source + ": " + String.format(format, args));
  }

  private static MalformedWeightsException malformed(
      String source, Throwable cause, String format, Object... args) {
    return new MalformedWeightsException(source + ": " + String.format(format, args), cause);
  }
}
