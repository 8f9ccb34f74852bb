package io.github.r2r.model.io;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * One operator of an ONNX graph, reduced to what weight import needs: which tensors it reads and
 * writes. Attributes are not kept.
 *
 * @param name the node name, e.g. {@code /encoder/layer.0/attention/self/query/MatMul}; may be
 *     empty, as ONNX allows
 * @param opType the operator, e.g. {@code MatMul}
 * @param inputs names of the tensors it reads (initializers, graph inputs or other nodes' outputs),
 *     in operator order; an empty name marks an omitted optional input
 * @param outputs names of the tensors it produces
 */
public record OnnxNode(String name, String opType, List<String> inputs, List<String> outputs) {
  /**
   * Copies the lists.
   *
   * @param name the node name; may be empty
   * @param opType the operator
   * @param inputs names of the tensors it reads, copied
   * @param outputs names of the tensors it produces, copied
   * @throws NullPointerException if an argument is null or a list holds null
   */
  public OnnxNode {
    checkNotNull(name, "name");
    checkNotNull(opType, "opType");
    inputs = ImmutableList.copyOf(inputs);
    outputs = ImmutableList.copyOf(outputs);
  }
}
