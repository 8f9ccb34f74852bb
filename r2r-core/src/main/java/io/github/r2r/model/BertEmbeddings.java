package io.github.r2r.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Word + learned position + token type embeddings, then LayerNorm (HF {@code BertEmbeddings}). */
public final class BertEmbeddings extends HfBlock {
  private final BertConfig config;
  private final Parameter wordEmbeddings;
  private final Parameter positionEmbeddings;
  private final Parameter tokenTypeEmbeddings;
  private final Parameter normWeight;
  private final Parameter normBias;

  /**
   * Embeddings with unset parameters, sized by {@code config}.
   *
   * @param config the architecture
   */
  public BertEmbeddings(BertConfig config) {
    this.config = config;
    int h = config.hiddenSize();
    wordEmbeddings = param("word_embeddings.weight", Parameter.Type.WEIGHT, config.vocabSize(), h);
    positionEmbeddings =
        param("position_embeddings.weight", Parameter.Type.WEIGHT, config.maxPositionEmbeddings(), h);
    tokenTypeEmbeddings =
        param("token_type_embeddings.weight", Parameter.Type.WEIGHT, config.typeVocabSize(), h);
    normWeight = param("LayerNorm.weight", Parameter.Type.GAMMA, h);
    normBias = param("LayerNorm.bias", Parameter.Type.BETA, h);
  }

  /**
   * {@return the word embedding matrix [vocab, hidden], shared with heads that tie their output
   * projection to it}
   */
  public Parameter wordEmbeddings() {
    return wordEmbeddings;
  }

  /**
   * Embeds token ids: the sum of word, position and token type embeddings, layer-normalised.
   *
   * @param ps the parameter store of the call
   * @param inputIds [batch, seq] int64
   * @param tokenTypeIds [batch, seq] int64
   * @param training whether to apply dropout and record gradients
   * @return [batch, seq, hidden]
   * @throws IllegalArgumentException if {@code seq} exceeds the config's {@code maxPositionEmbeddings}
   */
  public NDArray embed(ParameterStore ps, NDArray inputIds, NDArray tokenTypeIds, boolean training) {
    long seq = inputIds.getShape().get(1);
    checkFitsPositions(seq, config);
    NDArray words = lookup(ps, wordEmbeddings, inputIds, training);
    NDArray types = lookup(ps, tokenTypeEmbeddings, tokenTypeIds, training);
    NDArray positionIds = inputIds.getManager().arange(0, (int) seq, 1, DataType.INT64, inputIds.getDevice());
    NDArray positions = lookup(ps, positionEmbeddings, positionIds, training);
    NDArray sum = words.add(types).add(positions.expandDims(0));
    NDArray normed =
        LayerNorm.layerNorm(
                sum,
                new Shape(config.hiddenSize()),
                value(ps, normWeight, sum, training),
                value(ps, normBias, sum, training),
                config.layerNormEps())
            .singletonOrThrow();
    return training ? Dropout.dropout(normed, 0.1f, true).singletonOrThrow() : normed;
  }

  /** Fails, naming the problem, when {@code seq} tokens need more positions than the model has. */
  static void checkFitsPositions(long seq, BertConfig config) {
    if (seq > config.maxPositionEmbeddings()) {
      throw new IllegalArgumentException(
          "sequence of "
              + seq
              + " tokens exceeds max_position_embeddings "
              + config.maxPositionEmbeddings()
              + ": truncate or window the input");
    }
  }

  private static NDArray lookup(ParameterStore ps, Parameter table, NDArray ids, boolean training) {
    return Embedding.embedding(ids, value(ps, table, ids, training), SparseFormat.DENSE).singletonOrThrow();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(embed(ps, inputs.get(0), inputs.get(1), training));
  }
}
