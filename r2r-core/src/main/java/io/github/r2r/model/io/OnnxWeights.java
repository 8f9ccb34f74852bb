package io.github.r2r.model.io;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The initializers (stored weights) and operator nodes of the main graph of an ONNX model, read
 * with a minimal protobuf wire-format parser.
 *
 * <p>Supported: initializers of the numeric element types ({@code FLOAT}, {@code FLOAT16}, {@code
 * BFLOAT16}, {@code DOUBLE}, signed and unsigned 8- to 64-bit integers, {@code BOOL}), stored in
 * {@code raw_data} or in the typed repeated fields, packed or not. Not supported, with a {@link
 * MalformedWeightsException} naming the tensor: string tensors, tensors stored in external data
 * files, and segmented tensors. Sparse initializers and subgraphs (of {@code If}, {@code Loop}) are
 * ignored.
 *
 * <p>The file is memory-mapped; initializers stored in {@code raw_data} or packed {@code
 * float_data} are views of the mapping, not copies.
 */
public final class OnnxWeights {
  // Field numbers from onnx.proto.
  private static final int MODEL_GRAPH = 7;
  private static final int GRAPH_NODE = 1;
  private static final int GRAPH_INITIALIZER = 5;
  private static final int NODE_INPUT = 1;
  private static final int NODE_OUTPUT = 2;
  private static final int NODE_NAME = 3;
  private static final int NODE_OP_TYPE = 4;
  private static final int TENSOR_DIMS = 1;
  private static final int TENSOR_DATA_TYPE = 2;
  private static final int TENSOR_SEGMENT = 3;
  private static final int TENSOR_FLOAT_DATA = 4;
  private static final int TENSOR_INT32_DATA = 5;
  private static final int TENSOR_STRING_DATA = 6;
  private static final int TENSOR_INT64_DATA = 7;
  private static final int TENSOR_NAME = 8;
  private static final int TENSOR_RAW_DATA = 9;
  private static final int TENSOR_DOUBLE_DATA = 10;
  private static final int TENSOR_UINT64_DATA = 11;
  private static final int TENSOR_EXTERNAL_DATA = 13;
  private static final int TENSOR_DATA_LOCATION = 14;
  private static final int DATA_LOCATION_EXTERNAL = 1;
  private static final int ONNX_STRING = 8;

  private final String source;
  private final ImmutableMap<String, Tensor> initializers;
  private final ImmutableList<OnnxNode> nodes;

  private OnnxWeights(
      String source, ImmutableMap<String, Tensor> initializers, ImmutableList<OnnxNode> nodes) {
    this.source = source;
    this.initializers = initializers;
    this.nodes = nodes;
  }

  /** {@return the file path, or {@code classpath:} and the resource name, the model was read from} */
  public String source() {
    return source;
  }

  /** {@return the main graph's initializers by name, in file order} */
  public ImmutableMap<String, Tensor> initializers() {
    return initializers;
  }

  /** {@return the main graph's nodes, in file (topological) order} */
  public ImmutableList<OnnxNode> nodes() {
    return nodes;
  }

  /**
   * Reads an ONNX model file.
   *
   * @param file the {@code .onnx} file
   * @return its main graph's initializers and nodes
   * @throws IOException if the file cannot be read
   * @throws MalformedWeightsException if the file is not a readable ONNX model or uses an
   *     unsupported storage feature; the message names the file and the problem
   */
  public static OnnxWeights read(Path file) throws IOException {
    return read(file, file.toString());
  }

  /**
   * Reads an ONNX classpath resource of the context class loader, see {@link
   * #readResource(ClassLoader, String)}.
   *
   * @param resource the resource name, leading {@code /} optional
   * @return its main graph's initializers and nodes
   * @throws java.io.FileNotFoundException if there is no such resource
   * @throws MalformedWeightsException if the resource is not a readable ONNX model
   * @throws IOException if the resource or its temporary copy cannot be read or written
   */
  public static OnnxWeights readResource(String resource) throws IOException {
    return readResource(ResourceFiles.defaultClassLoader(), resource);
  }

  /**
   * Reads an ONNX model that is a classpath resource (leading {@code /} optional), such as {@code
   * /all-minilm-l6-v2.onnx}, by way of a temporary copy that is deleted again.
   *
   * @param loader the class loader to find the resource with
   * @param resource the resource name
   * @return its main graph's initializers and nodes
   * @throws java.io.FileNotFoundException if there is no such resource
   * @throws MalformedWeightsException if the resource is not a readable ONNX model
   * @throws IOException if the resource or its temporary copy cannot be read or written
   */
  public static OnnxWeights readResource(ClassLoader loader, String resource) throws IOException {
    return ResourceFiles.readThroughTemporaryCopy(
        loader, resource, copy -> read(copy, "classpath:" + resource));
  }

  private static OnnxWeights read(Path file, String source) throws IOException {
    ByteBuffer mapped;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size > Integer.MAX_VALUE) {
        throw new MalformedWeightsException(
            source + ": " + size + " bytes; protobuf files cannot exceed 2 GiB");
      }
      mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
    }
    ProtobufReader model = ProtobufReader.over(source, mapped);
    ProtobufReader graph = null;
    while (model.hasRemaining()) {
      model.nextField();
      if (model.fieldNumber() == MODEL_GRAPH) {
        model.requireWireType(ProtobufReader.LENGTH_DELIMITED, "ModelProto.graph");
        graph = model.readNested();
      } else {
        model.skipField();
      }
    }
    if (graph == null) {
      throw new MalformedWeightsException(source + ": no graph (ModelProto field 7)");
    }
    return readGraph(graph);
  }

  private static OnnxWeights readGraph(ProtobufReader graph) throws MalformedWeightsException {
    Map<String, Tensor> initializers = new LinkedHashMap<>();
    ImmutableList.Builder<OnnxNode> nodes = ImmutableList.builder();
    while (graph.hasRemaining()) {
      graph.nextField();
      switch (graph.fieldNumber()) {
        case GRAPH_NODE:
          graph.requireWireType(ProtobufReader.LENGTH_DELIMITED, "GraphProto.node");
          nodes.add(readNode(graph.readNested()));
          break;
        case GRAPH_INITIALIZER:
          graph.requireWireType(ProtobufReader.LENGTH_DELIMITED, "GraphProto.initializer");
          long at = graph.offset();
          Tensor tensor = readTensor(graph.readNested());
          if (initializers.put(tensor.name(), tensor) != null) {
            throw new MalformedWeightsException(
                graph.source()
                    + ": at byte "
                    + at
                    + ": initializer "
                    + tensor.name()
                    + " appears twice");
          }
          break;
        default:
          graph.skipField();
      }
    }
    return new OnnxWeights(graph.source(), ImmutableMap.copyOf(initializers), nodes.build());
  }

  private static OnnxNode readNode(ProtobufReader node) throws MalformedWeightsException {
    List<String> inputs = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    String name = "";
    String opType = "";
    while (node.hasRemaining()) {
      node.nextField();
      switch (node.fieldNumber()) {
        case NODE_INPUT:
          node.requireWireType(ProtobufReader.LENGTH_DELIMITED, "NodeProto.input");
          inputs.add(node.readString());
          break;
        case NODE_OUTPUT:
          node.requireWireType(ProtobufReader.LENGTH_DELIMITED, "NodeProto.output");
          outputs.add(node.readString());
          break;
        case NODE_NAME:
          node.requireWireType(ProtobufReader.LENGTH_DELIMITED, "NodeProto.name");
          name = node.readString();
          break;
        case NODE_OP_TYPE:
          node.requireWireType(ProtobufReader.LENGTH_DELIMITED, "NodeProto.op_type");
          opType = node.readString();
          break;
        default:
          node.skipField();
      }
    }
    return new OnnxNode(name, opType, inputs, outputs);
  }

  /** The fields of a TensorProto that matter here, gathered before the tensor is assembled. */
  private static final class TensorFields {
    final long start;
    String name = "";
    int dataType;
    final LongList dims = new LongList();
    ByteBuffer rawData;
    final List<ByteBuffer> fixedWidthValues = new ArrayList<>();
    final LongList varintValues = new LongList();
    boolean external;
    boolean segmented;
    boolean hasStrings;

    TensorFields(long start) {
      this.start = start;
    }
  }

  private static Tensor readTensor(ProtobufReader tensor) throws MalformedWeightsException {
    TensorFields fields = new TensorFields(tensor.offset());
    while (tensor.hasRemaining()) {
      tensor.nextField();
      switch (tensor.fieldNumber()) {
        case TENSOR_DIMS:
          readVarints(tensor, fields.dims);
          break;
        case TENSOR_DATA_TYPE:
          tensor.requireWireType(ProtobufReader.VARINT, "TensorProto.data_type");
          fields.dataType = (int) tensor.readVarint();
          break;
        case TENSOR_SEGMENT:
          fields.segmented = true;
          tensor.skipField();
          break;
        case TENSOR_FLOAT_DATA:
        case TENSOR_DOUBLE_DATA:
          readFixedWidth(tensor, fields.fixedWidthValues);
          break;
        case TENSOR_INT32_DATA:
        case TENSOR_INT64_DATA:
        case TENSOR_UINT64_DATA:
          readVarints(tensor, fields.varintValues);
          break;
        case TENSOR_STRING_DATA:
          fields.hasStrings = true;
          tensor.skipField();
          break;
        case TENSOR_NAME:
          tensor.requireWireType(ProtobufReader.LENGTH_DELIMITED, "TensorProto.name");
          fields.name = tensor.readString();
          break;
        case TENSOR_RAW_DATA:
          tensor.requireWireType(ProtobufReader.LENGTH_DELIMITED, "TensorProto.raw_data");
          fields.rawData = tensor.readBytes();
          break;
        case TENSOR_EXTERNAL_DATA:
          fields.external = true;
          tensor.skipField();
          break;
        case TENSOR_DATA_LOCATION:
          tensor.requireWireType(ProtobufReader.VARINT, "TensorProto.data_location");
          fields.external |= tensor.readVarint() == DATA_LOCATION_EXTERNAL;
          break;
        default:
          tensor.skipField();
      }
    }
    return assemble(tensor.source(), fields);
  }

  /** Reads one value of a repeated varint field, or all values of its packed form. */
  private static void readVarints(ProtobufReader reader, LongList values)
      throws MalformedWeightsException {
    if (reader.wireType() == ProtobufReader.LENGTH_DELIMITED) {
      ProtobufReader packed = reader.readNested();
      while (packed.hasRemaining()) {
        values.add(packed.readVarint());
      }
    } else {
      reader.requireWireType(ProtobufReader.VARINT, "repeated integer field");
      values.add(reader.readVarint());
    }
  }

  /**
   * Reads one value of a repeated float or double field, or all values of its packed form, as
   * slices of the little-endian wire bytes (both forms store IEEE values little-endian).
   */
  private static void readFixedWidth(ProtobufReader reader, List<ByteBuffer> values)
      throws MalformedWeightsException {
    if (reader.wireType() == ProtobufReader.LENGTH_DELIMITED) {
      values.add(reader.readBytes());
      return;
    }
    ByteBuffer single = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    if (reader.wireType() == ProtobufReader.FIXED32) {
      single.putInt(reader.readFixed32());
    } else {
      reader.requireWireType(ProtobufReader.FIXED64, "repeated floating-point field");
      single.putLong(reader.readFixed64());
    }
    values.add(single.flip());
  }

  private static Tensor assemble(String source, TensorFields fields)
      throws MalformedWeightsException {
    String where = source + ": initializer " + fields.name + " (at byte " + fields.start + ")";
    if (fields.external) {
      throw new MalformedWeightsException(
          where + " stores its data in an external file, which is not supported");
    }
    if (fields.segmented) {
      throw new MalformedWeightsException(where + " is segmented, which is not supported");
    }
    if (fields.dataType == ONNX_STRING || fields.hasStrings) {
      throw new MalformedWeightsException(where + " is a string tensor, which is not supported");
    }
    DType dtype = onnxDataType(fields.dataType, where);
    long[] shape = fields.dims.toArray();
    long byteSize;
    try {
      byteSize = Tensor.requiredBytes(fields.name, dtype, shape);
    } catch (IllegalArgumentException e) {
      throw new MalformedWeightsException(where + ": " + e.getMessage(), e);
    }
    ByteBuffer data;
    if (fields.rawData != null) {
      data = fields.rawData;
    } else if (!fields.fixedWidthValues.isEmpty()) {
      data = concatenate(fields.fixedWidthValues);
    } else {
      data = narrow(fields.varintValues, dtype);
    }
    if (data.remaining() != byteSize) {
      throw new MalformedWeightsException(
          String.format(
              "%s has %d bytes of data, but dims %s of %s need %d",
              where, data.remaining(), Arrays.toString(shape), dtype, byteSize));
    }
    return Tensor.of(fields.name, dtype, shape, data);
  }

  private static DType onnxDataType(int code, String where) throws MalformedWeightsException {
    switch (code) {
      case 1:
        return DType.F32;
      case 2:
        return DType.U8;
      case 3:
        return DType.I8;
      case 4:
        return DType.U16;
      case 5:
        return DType.I16;
      case 6:
        return DType.I32;
      case 7:
        return DType.I64;
      case 9:
        return DType.BOOL;
      case 10:
        return DType.F16;
      case 11:
        return DType.F64;
      case 12:
        return DType.U32;
      case 13:
        return DType.U64;
      case 16:
        return DType.BF16;
      default:
        throw new MalformedWeightsException(
            where + " has data_type " + code + ", which is not supported");
    }
  }

  private static ByteBuffer concatenate(List<ByteBuffer> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    int total = parts.stream().mapToInt(ByteBuffer::remaining).sum();
    ByteBuffer joined = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
    for (ByteBuffer part : parts) {
      joined.put(part.duplicate());
    }
    return joined.flip();
  }

  /**
   * Stores varint-decoded values at {@code dtype}'s width. ONNX keeps 8-, 16- and 32-bit integers,
   * booleans and the bit patterns of 16-bit floats in {@code int32_data}, so truncation to the low
   * bytes is the intended decoding.
   */
  private static ByteBuffer narrow(LongList values, DType dtype) {
    int width = dtype.byteSize();
    ByteBuffer bytes = ByteBuffer.allocate(values.size() * width).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < values.size(); i++) {
      long value = values.get(i);
      switch (width) {
        case 1:
          bytes.put((byte) value);
          break;
        case 2:
          bytes.putShort((short) value);
          break;
        case 4:
          bytes.putInt((int) value);
          break;
        default:
          bytes.putLong(value);
      }
    }
    return bytes.flip();
  }

  /** A growable list of primitive longs. */
  private static final class LongList {
    private long[] values = new long[8];
    private int size;

    void add(long value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    long get(int index) {
      return values[index];
    }

    int size() {
      return size;
    }

    long[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
