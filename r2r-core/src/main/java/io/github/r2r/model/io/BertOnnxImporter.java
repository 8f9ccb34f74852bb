package io.github.r2r.model.io;

import com.google.common.collect.ImmutableMap;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recovers Hugging Face parameter names and layouts from a BERT-family model exported to ONNX by
 * {@code torch.onnx.export} (as in the LangChain4j embedding jars).
 *
 * <p>Such exports keep the PyTorch parameter names on most initializers ({@code
 * embeddings.word_embeddings.weight}, {@code encoder.layer.0.attention.output.LayerNorm.bias},
 * ...), but the {@code nn.Linear} weights become anonymous {@code onnx::MatMul_N} initializers in
 * {@code [in, out]} layout, read by a node named after the module, such as {@code
 * /encoder/layer.0/attention/self/query/MatMul}. This class names each such weight after its module
 * ({@code encoder.layer.0.attention.self.query.weight}) and transposes it to the {@code [out, in]}
 * layout of {@code nn.Linear}.
 */
public final class BertOnnxImporter {
  private static final String ANONYMOUS_PREFIX = "onnx::";
  private static final Pattern MATMUL_NODE = Pattern.compile("/(.+)/MatMul");

  private BertOnnxImporter() {}

  /**
   * The model's parameters under their Hugging Face names, in Hugging Face layout.
   *
   * <p>Named initializers are passed through unchanged, buffers such as {@code
   * embeddings.position_ids} included. Each anonymous ({@code onnx::}) initializer that a {@code
   * MatMul} node reads as its second operand becomes {@code <module path>.weight}, transposed.
   * Other anonymous initializers are graph constants rather than parameters and are left out.
   *
   * @param onnx the exported model
   * @return the parameters by Hugging Face name
   * @throws MalformedWeightsException if such a MatMul node's name does not have the form {@code
   *     /module/path/MatMul}, its weight is not a matrix, or a derived name collides with another
   *     parameter
   */
  public static ImmutableMap<String, Tensor> huggingFaceParameters(OnnxWeights onnx)
      throws MalformedWeightsException {
    Map<String, String> linearWeightNames = new LinkedHashMap<>();
    for (OnnxNode node : onnx.nodes()) {
      if (!node.opType().equals("MatMul") || node.inputs().size() != 2) {
        continue;
      }
      String weight = node.inputs().get(1);
      if (!weight.startsWith(ANONYMOUS_PREFIX) || !onnx.initializers().containsKey(weight)) {
        continue;
      }
      Matcher matcher = MATMUL_NODE.matcher(node.name());
      if (!matcher.matches()) {
        throw new MalformedWeightsException(
            onnx.source()
                + ": MatMul node \""
                + node.name()
                + "\" reads weight "
                + weight
                + " but its name is not of the form /module/path/MatMul");
      }
      String parameter = matcher.group(1).replace('/', '.') + ".weight";
      String previous = linearWeightNames.put(parameter, weight);
      if (previous != null && !previous.equals(weight)) {
        throw new MalformedWeightsException(
            onnx.source()
                + ": MatMul weights "
                + previous
                + " and "
                + weight
                + " both map to "
                + parameter);
      }
    }

    Map<String, Tensor> parameters = new LinkedHashMap<>();
    for (Tensor initializer : onnx.initializers().values()) {
      if (!initializer.name().startsWith(ANONYMOUS_PREFIX)) {
        parameters.put(initializer.name(), initializer);
      }
    }
    for (Map.Entry<String, String> entry : linearWeightNames.entrySet()) {
      String parameter = entry.getKey();
      Tensor weight = onnx.initializers().get(entry.getValue());
      if (weight.rank() != 2) {
        throw new MalformedWeightsException(
            onnx.source()
                + ": MatMul weight "
                + weight.name()
                + " for "
                + parameter
                + " has shape "
                + Arrays.toString(weight.shape())
                + ", not a matrix");
      }
      if (parameters.containsKey(parameter)) {
        throw new MalformedWeightsException(
            onnx.source()
                + ": MatMul weight "
                + weight.name()
                + " maps to "
                + parameter
                + ", which an initializer already has as its name");
      }
      parameters.put(parameter, weight.transposed().withName(parameter));
    }
    return ImmutableMap.copyOf(parameters);
  }
}
