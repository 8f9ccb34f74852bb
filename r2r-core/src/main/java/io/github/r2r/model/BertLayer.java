package io.github.r2r.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One post-LN transformer layer with HF BERT semantics: self-attention, residual + LayerNorm, exact-GELU
 * feed-forward, residual + LayerNorm.
 *
 * <p>Two forward paths compute the same function: {@link #apply} op by op as HF writes it (training, and
 * the reference the tests compare against), and {@link #infer} for inference, with the query, key and
 * value projections fused into one matrix product, the attention scale folded into the query weights,
 * the padding mask skipped for batches without padding, and residual sums done in place.
 */
public final class BertLayer extends HfBlock {
  private static final float DROPOUT = 0.1f;

  private final BertConfig config;
  private final Parameter queryWeight;
  private final Parameter queryBias;
  private final Parameter keyWeight;
  private final Parameter keyBias;
  private final Parameter valueWeight;
  private final Parameter valueBias;
  private final Parameter attentionOutWeight;
  private final Parameter attentionOutBias;
  private final Parameter attentionNormWeight;
  private final Parameter attentionNormBias;
  private final Parameter intermediateWeight;
  private final Parameter intermediateBias;
  private final Parameter outputWeight;
  private final Parameter outputBias;
  private final Parameter outputNormWeight;
  private final Parameter outputNormBias;

  /**
   * A layer with unset parameters, sized by {@code config}.
   *
   * @param config the architecture
   */
  public BertLayer(BertConfig config) {
    this.config = config;
    int h = config.hiddenSize();
    int ff = config.intermediateSize();
    queryWeight = param("attention.self.query.weight", Parameter.Type.WEIGHT, h, h);
    queryBias = param("attention.self.query.bias", Parameter.Type.BIAS, h);
    keyWeight = param("attention.self.key.weight", Parameter.Type.WEIGHT, h, h);
    keyBias = param("attention.self.key.bias", Parameter.Type.BIAS, h);
    valueWeight = param("attention.self.value.weight", Parameter.Type.WEIGHT, h, h);
    valueBias = param("attention.self.value.bias", Parameter.Type.BIAS, h);
    attentionOutWeight = param("attention.output.dense.weight", Parameter.Type.WEIGHT, h, h);
    attentionOutBias = param("attention.output.dense.bias", Parameter.Type.BIAS, h);
    attentionNormWeight = param("attention.output.LayerNorm.weight", Parameter.Type.GAMMA, h);
    attentionNormBias = param("attention.output.LayerNorm.bias", Parameter.Type.BETA, h);
    intermediateWeight = param("intermediate.dense.weight", Parameter.Type.WEIGHT, ff, h);
    intermediateBias = param("intermediate.dense.bias", Parameter.Type.BIAS, ff);
    outputWeight = param("output.dense.weight", Parameter.Type.WEIGHT, h, ff);
    outputBias = param("output.dense.bias", Parameter.Type.BIAS, h);
    outputNormWeight = param("output.LayerNorm.weight", Parameter.Type.GAMMA, h);
    outputNormBias = param("output.LayerNorm.bias", Parameter.Type.BETA, h);
  }

  /**
   * Runs the layer op by op as HF writes it (the training path).
   *
   * @param ps the parameter store of the call
   * @param hidden [batch, seq, hidden]
   * @param attentionBias [batch, 1, 1, seq]: 0 for real tokens, a large negative number for padding
   * @param training whether to apply dropout and record gradients
   * @return the layer's output [batch, seq, hidden]
   */
  public NDArray apply(ParameterStore ps, NDArray hidden, NDArray attentionBias, boolean training) {
    NDArray attended = selfAttention(ps, hidden, attentionBias, training);
    NDArray projected = linear(ps, attended, attentionOutWeight, attentionOutBias, training);
    NDArray afterAttention =
        norm(ps, dropout(projected, training).add(hidden), attentionNormWeight, attentionNormBias, training);
    NDArray intermediate =
        Activation.gelu(linear(ps, afterAttention, intermediateWeight, intermediateBias, training));
    NDArray output = linear(ps, intermediate, outputWeight, outputBias, training);
    return norm(ps, dropout(output, training).add(afterAttention), outputNormWeight, outputNormBias, training);
  }

  /**
   * Inference forward (no dropout, no gradients); equals {@link #apply} with {@code training=false} up
   * to float rounding.
   *
   * @param ps the parameter store of the call
   * @param hidden [batch, seq, hidden]; not closed
   * @param attentionBias [batch, 1, 1, seq] as for {@link #apply}, or {@code null} when no row is padded
   * @return the layer's output [batch, seq, hidden]
   */
  public NDArray infer(ParameterStore ps, NDArray hidden, NDArray attentionBias) {
    // Each intermediate is closed as soon as it is consumed: otherwise the scope would hold all of them
    // until the batch ends, and every op would write to freshly mapped (page-faulting) memory.
    NDArray attended = fusedSelfAttention(ps, hidden, attentionBias);
    NDArray projected = linear(ps, attended, attentionOutWeight, attentionOutBias, false).addi(hidden);
    attended.close();
    NDArray afterAttention = norm(ps, projected, attentionNormWeight, attentionNormBias, false);
    projected.close();
    NDArray preActivation = linear(ps, afterAttention, intermediateWeight, intermediateBias, false);
    NDArray intermediate = Activation.gelu(preActivation);
    preActivation.close();
    NDArray output = linear(ps, intermediate, outputWeight, outputBias, false).addi(afterAttention);
    intermediate.close();
    afterAttention.close();
    NDArray result = norm(ps, output, outputNormWeight, outputNormBias, false);
    output.close();
    return result;
  }

  private NDArray fusedSelfAttention(ParameterStore ps, NDArray hidden, NDArray attentionBias) {
    Shape shape = hidden.getShape();
    long batch = shape.get(0);
    long seq = shape.get(1);
    int heads = config.numAttentionHeads();
    int headSize = config.headSize();
    NDManager scope = hidden.getManager();
    // Rebuilt per forward pass rather than cached: training updates the three parameters in place, and
    // the copy costs well under 1% of a batch.
    float scale = (float) (1 / Math.sqrt(headSize));
    NDArray weight =
        fused(scope, value(ps, queryWeight, hidden, false).mul(scale), value(ps, keyWeight, hidden, false),
            value(ps, valueWeight, hidden, false));
    NDArray bias =
        fused(scope, value(ps, queryBias, hidden, false).mul(scale), value(ps, keyBias, hidden, false),
            value(ps, valueBias, hidden, false));
    // Views (reshape, transpose, select) keep their storage alive, so they are closed with the rest.
    try (NDList views = new NDList()) {
      NDArray projected = keep(views, Linear.linear(hidden, weight, bias).singletonOrThrow());
      weight.close();
      bias.close();
      // [batch, seq, 3 * hidden] -> [3, batch, heads, seq, headSize]
      NDArray qkv =
          keep(views, keep(views, projected.reshape(batch, seq, 3, heads, headSize)).transpose(2, 0, 3, 1, 4));
      NDArray queryHeads = keep(views, qkv.get(0));
      NDArray keyHeadsTransposed = keep(views, keep(views, qkv.get(1)).transpose(0, 1, 3, 2));
      NDArray valueHeads = keep(views, qkv.get(2));
      NDArray scores = queryHeads.matMul(keyHeadsTransposed);
      if (attentionBias != null) {
        scores.addi(attentionBias);
      }
      NDArray probabilities = scores.softmax(-1);
      scores.close();
      NDArray context = keep(views, probabilities.matMul(valueHeads));
      probabilities.close();
      return keep(views, context.transpose(0, 2, 1, 3)).reshape(batch, seq, (long) heads * headSize);
    }
  }

  private static NDArray keep(NDList views, NDArray array) {
    views.add(array);
    return array;
  }

  /** Concatenates along the output axis, in {@code scope} (the scaled query was made in the model's). */
  private static NDArray fused(NDManager scope, NDArray scaledQuery, NDArray key, NDArray value) {
    scaledQuery.attach(scope);
    NDArray out = NDArrays.concat(new NDList(scaledQuery, key, value), 0);
    scaledQuery.close();
    return out;
  }

  private NDArray selfAttention(ParameterStore ps, NDArray hidden, NDArray attentionBias, boolean training) {
    Shape shape = hidden.getShape();
    long batch = shape.get(0);
    long seq = shape.get(1);
    int heads = config.numAttentionHeads();
    int headSize = config.headSize();
    NDArray q = splitHeads(linear(ps, hidden, queryWeight, queryBias, training), batch, seq, heads, headSize);
    NDArray k = splitHeads(linear(ps, hidden, keyWeight, keyBias, training), batch, seq, heads, headSize);
    NDArray v = splitHeads(linear(ps, hidden, valueWeight, valueBias, training), batch, seq, heads, headSize);
    NDArray scores =
        ScalarOps.dividedBy(q.matMul(k.transpose(0, 1, 3, 2)), (float) Math.sqrt(headSize)).add(attentionBias);
    NDArray probs = dropout(scores.softmax(-1), training);
    return probs.matMul(v).transpose(0, 2, 1, 3).reshape(batch, seq, (long) heads * headSize);
  }

  private static NDArray splitHeads(NDArray x, long batch, long seq, int heads, int headSize) {
    return x.reshape(batch, seq, heads, headSize).transpose(0, 2, 1, 3);
  }

  private static NDArray linear(
      ParameterStore ps, NDArray x, Parameter weight, Parameter bias, boolean training) {
    return Linear.linear(x, value(ps, weight, x, training), value(ps, bias, x, training)).singletonOrThrow();
  }

  private NDArray norm(ParameterStore ps, NDArray x, Parameter weight, Parameter bias, boolean training) {
    return LayerNorm.layerNorm(
            x,
            new Shape(config.hiddenSize()),
            value(ps, weight, x, training),
            value(ps, bias, x, training),
            config.layerNormEps())
        .singletonOrThrow();
  }

  private static NDArray dropout(NDArray x, boolean training) {
    return training ? Dropout.dropout(x, DROPOUT, true).singletonOrThrow() : x;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(apply(ps, inputs.get(0), inputs.get(1), training));
  }
}
