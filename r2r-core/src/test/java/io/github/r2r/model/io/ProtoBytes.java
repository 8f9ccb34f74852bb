package io.github.r2r.model.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds protobuf wire-format bytes field by field, for hand-made ONNX test files. */
final class ProtoBytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static ProtoBytes message() {
    return new ProtoBytes();
  }

  private void rawVarint(long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) (value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.write((int) value);
  }

  private void tag(int field, int wireType) {
    rawVarint((long) field << 3 | wireType);
  }

  ProtoBytes varint(int field, long value) {
    tag(field, 0);
    rawVarint(value);
    return this;
  }

  ProtoBytes bytes(int field, byte[] value) {
    tag(field, 2);
    rawVarint(value.length);
    out.writeBytes(value);
    return this;
  }

  ProtoBytes string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  ProtoBytes message(int field, ProtoBytes value) {
    return bytes(field, value.toByteArray());
  }

  ProtoBytes fixed32(int field, int value) {
    tag(field, 5);
    out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
    return this;
  }

  ProtoBytes fixed64(int field, long value) {
    tag(field, 1);
    out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    return this;
  }

  /** A packed repeated varint field. */
  ProtoBytes packedVarints(int field, long... values) {
    ProtoBytes payload = new ProtoBytes();
    for (long value : values) {
      payload.rawVarint(value);
    }
    return bytes(field, payload.toByteArray());
  }

  /** A packed repeated float field. */
  ProtoBytes packedFloats(int field, float... values) {
    ByteBuffer payload = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      payload.putFloat(value);
    }
    return bytes(field, payload.array());
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  static byte[] littleEndianFloats(float... values) {
    ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      buffer.putFloat(value);
    }
    return buffer.array();
  }
}
