package io.github.r2r.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A BERT-family encoder with HuggingFace semantics; parameter names match HF {@code BertModel} without
 * the {@code bert.} prefix ({@code embeddings.*}, {@code encoder.layer.N.*}).
 *
 * <p>Input: {@code input_ids}, {@code token_type_ids}, {@code attention_mask} ([batch, seq] int64).
 * Output: the last hidden state [batch, seq, hidden].
 */
public final class BertEncoder extends HfBlock {
  /**
   * Added to attention scores at padded positions. Large enough that softmax gives them exactly zero
   * weight in fp32, small enough not to overflow when added to a score.
   */
  private static final float MASKED = -1e9f;

  private final BertConfig config;
  private final BertEmbeddings embeddings;
  private final List<BertLayer> layers;

  /**
   * An encoder with unset parameters (set them with {@link WeightStore}).
   *
   * @param config the architecture
   */
  public BertEncoder(BertConfig config) {
    this.config = config;
    this.embeddings = submodule("embeddings", new BertEmbeddings(config));
    List<BertLayer> built = new ArrayList<>();
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      built.add(submodule("encoder.layer." + i, new BertLayer(config)));
    }
    this.layers = Collections.unmodifiableList(built);
  }

  /** {@return the architecture} */
  public BertConfig config() {
    return config;
  }

  /** {@return the embedding block} */
  public BertEmbeddings embeddings() {
    return embeddings;
  }

  /**
   * Runs the encoder op by op as HF writes it (the training path).
   *
   * @param ps the parameter store of the call
   * @param inputIds [batch, seq] int64
   * @param tokenTypeIds [batch, seq] int64
   * @param attentionMask [batch, seq] int64: 1 at real tokens, 0 at padding
   * @param training whether to apply dropout and record gradients
   * @return the last hidden state [batch, seq, hidden]
   * @throws IllegalArgumentException if {@code seq} exceeds the config's {@code maxPositionEmbeddings}
   */
  public NDArray encode(
      ParameterStore ps, NDArray inputIds, NDArray tokenTypeIds, NDArray attentionMask, boolean training) {
    NDArray hidden = embeddings.embed(ps, inputIds, tokenTypeIds, training);
    NDArray bias = attentionBias(attentionMask);
    for (BertLayer layer : layers) {
      hidden = training ? layer.apply(ps, hidden, bias, true) : applyInOwnScope(ps, layer, hidden, bias);
    }
    return hidden;
  }

  /**
   * Runs a layer without gradients so that its intermediates are released when it returns: otherwise
   * the caller's scope would hold every layer's attention scores at once (about 18 GB for 22 rows of 512
   * tokens through 12 layers).
   */
  private static NDArray applyInOwnScope(ParameterStore ps, BertLayer layer, NDArray hidden, NDArray bias) {
    NDManager outer = hidden.getManager();
    try (NDManager layerScope = outer.newSubManager()) {
      hidden.tempAttach(layerScope);
      NDArray output = layer.apply(ps, hidden, bias, false);
      output.attach(outer);
      return output;
    }
  }

  /**
   * Inference forward through {@link BertLayer#infer}; equals {@link #encode} with {@code
   * training=false} up to float rounding.
   *
   * @param ps the parameter store of the call
   * @param inputIds [batch, seq] int64
   * @param tokenTypeIds [batch, seq] int64
   * @param attentionMask [batch, seq] int64: 1 at real tokens, 0 at padding
   * @param padded whether any row of the batch is padded; without padding the attention mask is skipped
   * @return the last hidden state [batch, seq, hidden]
   * @throws IllegalArgumentException if {@code seq} exceeds the config's {@code maxPositionEmbeddings}
   */
  public NDArray infer(
      ParameterStore ps, NDArray inputIds, NDArray tokenTypeIds, NDArray attentionMask, boolean padded) {
    NDArray hidden = embeddings.embed(ps, inputIds, tokenTypeIds, false);
    NDArray bias = padded ? attentionBias(attentionMask) : null;
    for (BertLayer layer : layers) {
      NDArray next = layer.infer(ps, hidden, bias);
      hidden.close();
      hidden = next;
    }
    if (bias != null) {
      bias.close();
    }
    return hidden;
  }

  /** [batch, seq] 0/1 mask to an additive [batch, 1, 1, seq] bias. */
  static NDArray attentionBias(NDArray attentionMask) {
    NDArray mask = attentionMask.toType(DataType.FLOAT32, false);
    return mask.neg().add(1f).mul(MASKED).expandDims(1).expandDims(1);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(encode(ps, inputs.get(0), inputs.get(1), inputs.get(2), training));
  }
}
