package io.github.r2r.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.r2r.model.BertConfig;
import io.github.r2r.model.HfBlock;
import io.github.r2r.model.ScalarOps;

/**
 * Multi-head attention with its output projection, residual and LayerNorm, in HF BERT naming
 * ({@code self.query}, {@code self.key}, {@code self.value}, {@code output.dense}, {@code
 * output.LayerNorm}). Used twice per decoder layer: as causal self-attention and as cross-attention over
 * the encoder states; the caller projects queries, keys and values so that it can cache them.
 */
final class AttentionBlock extends HfBlock {
  private static final float DROPOUT = 0.1f;

  private final BertConfig config;
  private final Parameter queryWeight;
  private final Parameter queryBias;
  private final Parameter keyWeight;
  private final Parameter keyBias;
  private final Parameter valueWeight;
  private final Parameter valueBias;
  private final Parameter outputWeight;
  private final Parameter outputBias;
  private final Parameter normWeight;
  private final Parameter normBias;

  AttentionBlock(BertConfig config) {
    this.config = config;
    int h = config.hiddenSize();
    queryWeight = param("self.query.weight", Parameter.Type.WEIGHT, h, h);
    queryBias = param("self.query.bias", Parameter.Type.BIAS, h);
    keyWeight = param("self.key.weight", Parameter.Type.WEIGHT, h, h);
    keyBias = param("self.key.bias", Parameter.Type.BIAS, h);
    valueWeight = param("self.value.weight", Parameter.Type.WEIGHT, h, h);
    valueBias = param("self.value.bias", Parameter.Type.BIAS, h);
    outputWeight = param("output.dense.weight", Parameter.Type.WEIGHT, h, h);
    outputBias = param("output.dense.bias", Parameter.Type.BIAS, h);
    normWeight = param("output.LayerNorm.weight", Parameter.Type.GAMMA, h);
    normBias = param("output.LayerNorm.bias", Parameter.Type.BETA, h);
  }

  /** Query heads of {@code x} [batch, len, hidden] as [batch, heads, len, headSize]. */
  NDArray queries(ParameterStore ps, NDArray x, boolean training) {
    return heads(linear(ps, x, queryWeight, queryBias, training));
  }

  /** Key heads, [batch, heads, len, headSize]. */
  NDArray keys(ParameterStore ps, NDArray x, boolean training) {
    return heads(linear(ps, x, keyWeight, keyBias, training));
  }

  /** Value heads, [batch, heads, len, headSize]. */
  NDArray values(ParameterStore ps, NDArray x, boolean training) {
    return heads(linear(ps, x, valueWeight, valueBias, training));
  }

  /**
   * {@code LayerNorm(residual + dense(softmax(q k^T / sqrt(d) + bias) v))}.
   *
   * @param residual [batch, len, hidden], the input the queries were projected from
   * @param bias additive, broadcastable to [batch, heads, len, keys]; null for none
   */
  NDArray attend(
      ParameterStore ps, NDArray residual, NDArray q, NDArray k, NDArray v, NDArray bias, boolean training) {
    Shape shape = residual.getShape();
    NDArray scores = ScalarOps.dividedBy(q.matMul(k.transpose(0, 1, 3, 2)), (float) Math.sqrt(config.headSize()));
    if (bias != null) {
      scores = scores.add(bias);
    }
    NDArray probabilities = dropout(scores.softmax(-1), training);
    NDArray context =
        probabilities.matMul(v).transpose(0, 2, 1, 3).reshape(shape.get(0), shape.get(1), config.hiddenSize());
    NDArray projected = dropout(linear(ps, context, outputWeight, outputBias, training), training);
    return LayerNorm.layerNorm(
            projected.add(residual),
            new Shape(config.hiddenSize()),
            ps.getValue(normWeight, residual.getDevice(), training),
            ps.getValue(normBias, residual.getDevice(), training),
            config.layerNormEps())
        .singletonOrThrow();
  }

  private NDArray heads(NDArray x) {
    Shape shape = x.getShape();
    return x.reshape(shape.get(0), shape.get(1), config.numAttentionHeads(), config.headSize())
        .transpose(0, 2, 1, 3);
  }

  static NDArray linear(ParameterStore ps, NDArray x, Parameter weight, Parameter bias, boolean training) {
    return Linear.linear(
            x, ps.getValue(weight, x.getDevice(), training), ps.getValue(bias, x.getDevice(), training))
        .singletonOrThrow();
  }

  static NDArray dropout(NDArray x, boolean training) {
    return training ? Dropout.dropout(x, DROPOUT, true).singletonOrThrow() : x;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    return new NDList(attend(ps, x, queries(ps, x, training), keys(ps, x, training), values(ps, x, training),
        null, training));
  }
}
