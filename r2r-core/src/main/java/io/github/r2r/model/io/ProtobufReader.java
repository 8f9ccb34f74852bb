package io.github.r2r.model.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over one protobuf message in wire format: yields field tags and values in file order.
 * Length-delimited values come back as slices of the underlying buffer, so large payloads (ONNX
 * {@code raw_data}) are never copied here.
 *
 * <p>Every read is bounds-checked; running past the end of the message throws a {@link
 * MalformedWeightsException} that names the source and the absolute byte offset.
 */
final class ProtobufReader {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private final String source;
  private final ByteBuffer buffer;

  /** Offset of {@code buffer}'s first byte in the source, for error messages. */
  private final long baseOffset;

  private int fieldNumber;
  private int wireType;

  private ProtobufReader(String source, ByteBuffer buffer, long baseOffset) {
    this.source = source;
    this.buffer = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
    this.baseOffset = baseOffset;
  }

  /** A reader over {@code message}'s remaining bytes, which start the source. */
  static ProtobufReader over(String source, ByteBuffer message) {
    return new ProtobufReader(source, message, 0);
  }

  /** Whether unread bytes remain: another field, or another value of a packed field. */
  boolean hasRemaining() {
    return buffer.hasRemaining();
  }

  /**
   * Reads the next field's tag; {@link #fieldNumber()} and {@link #wireType()} then describe the
   * field whose value is read next.
   */
  void nextField() throws MalformedWeightsException {
    long tagOffset = offset();
    long tag = readVarint();
    fieldNumber = (int) (tag >>> 3);
    wireType = (int) (tag & 7);
    if (fieldNumber == 0 || tag >>> 3 > Integer.MAX_VALUE) {
      throw malformed(tagOffset, "invalid field tag %d", tag);
    }
  }

  int fieldNumber() {
    return fieldNumber;
  }

  int wireType() {
    return wireType;
  }

  /** Reads a base-128 varint of up to 10 bytes. */
  long readVarint() throws MalformedWeightsException {
    long start = offset();
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      requireRemaining(1, start, "varint");
      byte b = buffer.get();
      result |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw malformed(start, "varint longer than 10 bytes");
  }

  /** Reads 4 little-endian bytes. */
  int readFixed32() throws MalformedWeightsException {
    requireRemaining(4, offset(), "fixed32 value");
    return buffer.getInt();
  }

  /** Reads 8 little-endian bytes. */
  long readFixed64() throws MalformedWeightsException {
    requireRemaining(8, offset(), "fixed64 value");
    return buffer.getLong();
  }

  /** Reads a length-delimited value as a little-endian slice of the underlying buffer. */
  ByteBuffer readBytes() throws MalformedWeightsException {
    long start = offset();
    long length = readVarint();
    if (length < 0 || length > buffer.remaining()) {
      throw malformed(
          start,
          "field %d claims %s bytes but only %d remain (truncated file?)",
          fieldNumber,
          Long.toUnsignedString(length),
          buffer.remaining());
    }
    ByteBuffer value = buffer.slice().limit((int) length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.position(buffer.position() + (int) length);
    return value;
  }

  /** Reads a length-delimited value as UTF-8 text. */
  String readString() throws MalformedWeightsException {
    return StandardCharsets.UTF_8.decode(readBytes()).toString();
  }

  /**
   * Reads a length-delimited value (an embedded message, or the values of a packed repeated field)
   * as a reader of its own.
   */
  ProtobufReader readNested() throws MalformedWeightsException {
    ByteBuffer bytes = readBytes();
    return new ProtobufReader(source, bytes, offset() - bytes.remaining());
  }

  /** Skips the current field's value. */
  void skipField() throws MalformedWeightsException {
    switch (wireType) {
      case VARINT:
        readVarint();
        break;
      case FIXED64:
        readFixed64();
        break;
      case LENGTH_DELIMITED:
        readBytes();
        break;
      case FIXED32:
        readFixed32();
        break;
      default:
        throw malformed(offset(), "field %d has unsupported wire type %d", fieldNumber, wireType);
    }
  }

  /**
   * Throws unless the current field has {@code expected} wire type.
   *
   * @param what the field's name in the schema, for the message
   */
  void requireWireType(int expected, String what) throws MalformedWeightsException {
    if (wireType != expected) {
      throw malformed(
          offset(),
          "%s (field %d) has wire type %d, expected %d",
          what,
          fieldNumber,
          wireType,
          expected);
    }
  }

  /** The source's name, for messages. */
  String source() {
    return source;
  }

  /** The absolute offset in the source of the next unread byte. */
  long offset() {
    return baseOffset + buffer.position();
  }

  private void requireRemaining(int bytes, long start, String what)
      throws MalformedWeightsException {
    if (buffer.remaining() < bytes) {
      throw malformed(start, "%s runs past the end of its message (truncated file?)", what);
    }
  }

  private MalformedWeightsException malformed(long at, String format, Object... args) {
    return new MalformedWeightsException(
        source + ": at byte " + at + ": " + String.format(format, args));
  }
}
