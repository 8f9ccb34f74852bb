package io.github.r2r.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.r2r.model.BertConfig;
import io.github.r2r.model.HfBlock;

/**
 * One post-LN transformer decoder layer in HF BERT-decoder naming: causal self-attention ({@code
 * attention.*}), cross-attention over the encoder states ({@code crossattention.*}), then the GELU
 * feed-forward ({@code intermediate.dense}, {@code output.dense}, {@code output.LayerNorm}). The same
 * shapes as an encoder layer, which is what lets the decoder start from encoder weights.
 */
final class DecoderLayer extends HfBlock {
  private final BertConfig config;
  private final AttentionBlock selfAttention;
  private final AttentionBlock crossAttention;
  private final Parameter intermediateWeight;
  private final Parameter intermediateBias;
  private final Parameter outputWeight;
  private final Parameter outputBias;
  private final Parameter normWeight;
  private final Parameter normBias;

  DecoderLayer(BertConfig config) {
    this.config = config;
    int h = config.hiddenSize();
    int ff = config.intermediateSize();
    selfAttention = submodule("attention", new AttentionBlock(config));
    crossAttention = submodule("crossattention", new AttentionBlock(config));
    intermediateWeight = param("intermediate.dense.weight", Parameter.Type.WEIGHT, ff, h);
    intermediateBias = param("intermediate.dense.bias", Parameter.Type.BIAS, ff);
    outputWeight = param("output.dense.weight", Parameter.Type.WEIGHT, h, ff);
    outputBias = param("output.dense.bias", Parameter.Type.BIAS, h);
    normWeight = param("output.LayerNorm.weight", Parameter.Type.GAMMA, h);
    normBias = param("output.LayerNorm.bias", Parameter.Type.BETA, h);
  }

  AttentionBlock crossAttention() {
    return crossAttention;
  }

  /**
   * The whole target sequence at once (teacher forcing).
   *
   * @param x [batch, len, hidden]
   * @param causalBias [1, 1, len, len]: a large negative number above the diagonal
   * @param memoryKeys cross-attention keys of the encoder states, [batch, heads, src, headSize]
   * @param memoryBias [batch, 1, 1, src]: a large negative number at padded encoder positions
   */
  NDArray apply(
      ParameterStore ps,
      NDArray x,
      NDArray causalBias,
      NDArray memoryKeys,
      NDArray memoryValues,
      NDArray memoryBias,
      boolean training) {
    NDArray attended =
        selfAttention.attend(
            ps,
            x,
            selfAttention.queries(ps, x, training),
            selfAttention.keys(ps, x, training),
            selfAttention.values(ps, x, training),
            causalBias,
            training);
    return crossAndFeedForward(
        ps, attended, crossAttention.queries(ps, attended, training), memoryKeys, memoryValues, memoryBias,
        training);
  }

  /**
   * One new position per row: its key and value join {@code cache}, and it attends to every cached
   * position (all of them are in its past, so no causal mask is needed).
   *
   * @param x [rows, 1, hidden]
   * @param memoryBias [groups, 1, 1, src]
   * @param rowsPerGroup consecutive rows that share one group of the cache's encoder keys and values
   *     ({@link DecoderState#rowsPerGroup()})
   */
  NDArray step(
      ParameterStore ps, NDArray x, DecoderState.LayerCache cache, NDArray memoryBias, int rowsPerGroup) {
    cache.append(selfAttention.keys(ps, x, false), selfAttention.values(ps, x, false));
    NDArray attended =
        selfAttention.attend(ps, x, selfAttention.queries(ps, x, false), cache.keys(), cache.values(), null, false);
    NDArray queries = crossAttention.queries(ps, attended, false);
    if (rowsPerGroup > 1) {
      // [rows, heads, 1, d] -> [groups, heads, rowsPerGroup, d]: a group's rows ask its keys together.
      // attend() turns the context back into [rows, 1, hidden], rows in their order.
      Shape shape = queries.getShape();
      queries = queries.reshape(shape.get(0) / rowsPerGroup, rowsPerGroup, shape.get(1), shape.get(3))
          .transpose(0, 2, 1, 3);
    }
    return crossAndFeedForward(ps, attended, queries, cache.memoryKeys(), cache.memoryValues(), memoryBias, false);
  }

  private NDArray crossAndFeedForward(
      ParameterStore ps,
      NDArray attended,
      NDArray crossQueries,
      NDArray memoryKeys,
      NDArray memoryValues,
      NDArray memoryBias,
      boolean training) {
    NDArray crossed =
        crossAttention.attend(
            ps,
            attended,
            crossQueries,
            memoryKeys,
            memoryValues,
            memoryBias,
            training);
    NDArray intermediate =
        Activation.gelu(AttentionBlock.linear(ps, crossed, intermediateWeight, intermediateBias, training));
    NDArray output =
        AttentionBlock.dropout(
            AttentionBlock.linear(ps, intermediate, outputWeight, outputBias, training), training);
    return LayerNorm.layerNorm(
            output.add(crossed),
            new Shape(config.hiddenSize()),
            ps.getValue(normWeight, crossed.getDevice(), training),
            ps.getValue(normBias, crossed.getDevice(), training),
            config.layerNormEps())
        .singletonOrThrow();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray memory = inputs.get(2);
    return new NDList(
        apply(ps, inputs.get(0), inputs.get(1), crossAttention.keys(ps, memory, training),
            crossAttention.values(ps, memory, training), inputs.get(3), training));
  }
}
