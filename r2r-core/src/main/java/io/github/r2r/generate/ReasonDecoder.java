package io.github.r2r.generate;

import static com.google.common.base.Preconditions.checkArgument;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.r2r.model.BFloat16Product;
import io.github.r2r.model.BertConfig;
import io.github.r2r.model.HfBlock;
import io.github.r2r.model.ScalarOps;
import io.github.r2r.model.io.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small transformer decoder that writes a reason token by token while attending to the encoder's
 * states of {@code query [SEP] passage} (or of a passage pair). Its input and output word embeddings
 * are the ranking encoder's own word embedding matrix (tied, and not stored with the decoder): the
 * decoder adds only positions, its layers and an output transform, in HF BERT-decoder naming ({@code
 * bert.embeddings.position_embeddings}, {@code bert.encoder.layer.N.*}, {@code cls.predictions.*}).
 *
 * <p>Two forward paths compute the same function: {@link #forward} for a whole target sequence at once
 * (training; a causal mask keeps each position from seeing later ones) and {@link #step} for one new
 * token per row against a {@link DecoderState} cache (generation).
 *
 * <p>With copy attention (a pointer-generator, See et al. 2017) the decoder can also copy a token of
 * its input: a single-head attention over the encoder states gives a distribution over input positions,
 * and a gate mixes it with the vocabulary distribution, {@code p(w) = g p_vocab(w) + (1 - g) sum of the
 * copy attention on the positions holding w}. Without it the decoder must map an encoder state back to
 * its word through the tied embeddings, which it learns slowly: a decoder trained without it wrote
 * "the weather in the weather" for "weather myrtle beach".
 */
public final class ReasonDecoder extends HfBlock {
  /** Added to attention scores that must get no weight; see {@code BertEncoder}. */
  public static final float MASKED = -1e9f;
  /** Where layer N's weights are named: this prefix, N, a dot. */
  static final String LAYER_PREFIX = "bert.encoder.layer.";

  private final BertConfig config;
  private final int maxTokens;
  private final Parameter positionEmbeddings;
  private final Parameter embeddingNormWeight;
  private final Parameter embeddingNormBias;
  private final List<DecoderLayer> layers;
  private final Parameter transformWeight;
  private final Parameter transformBias;
  private final Parameter transformNormWeight;
  private final Parameter transformNormBias;
  private final Parameter outputBias;
  private final Parameter copyQueryWeight;
  private final Parameter copyQueryBias;
  private final Parameter copyKeyWeight;
  private final Parameter copyKeyBias;
  private final Parameter gateWeight;
  private final Parameter gateBias;

  /**
   * Next-token scores of a forward pass.
   *
   * @param logits vocabulary logits [..., vocab]
   * @param copyScores copy attention logits over the input positions [..., src], non-copyable positions
   *     at {@link #MASKED}; null without copy attention
   * @param gateLogits logit of the probability of generating from the vocabulary rather than copying
   *     [...]; null without copy attention
   */
  public record Output(NDArray logits, NDArray copyScores, NDArray gateLogits) {}

  /**
   * A decoder with unset parameters (set them with {@code WeightStore}, or warm-start them from the
   * encoder with {@link #warmStartTensors}).
   *
   * @param config the ranking encoder's architecture (the decoder shares its sizes and vocabulary)
   * @param layerCount decoder layers
   * @param maxTokens the longest sequence the decoder reads, start token included
   * @param copyAttention whether the decoder can copy input tokens (see the class comment)
   * @throws IllegalArgumentException if {@code layerCount} is less than 1, or {@code maxTokens} is outside
   *     {@code [2, config.maxPositionEmbeddings()]}
   */
  public ReasonDecoder(BertConfig config, int layerCount, int maxTokens, boolean copyAttention) {
    checkArgument(layerCount >= 1, "a decoder needs at least one layer, got %s", layerCount);
    checkArgument(
        maxTokens >= 2 && maxTokens <= config.maxPositionEmbeddings(),
        "maxTokens %s must be in [2, %s]", maxTokens, config.maxPositionEmbeddings());
    this.config = config;
    this.maxTokens = maxTokens;
    int h = config.hiddenSize();
    positionEmbeddings = param("bert.embeddings.position_embeddings.weight", Parameter.Type.WEIGHT, maxTokens, h);
    embeddingNormWeight = param("bert.embeddings.LayerNorm.weight", Parameter.Type.GAMMA, h);
    embeddingNormBias = param("bert.embeddings.LayerNorm.bias", Parameter.Type.BETA, h);
    List<DecoderLayer> built = new ArrayList<>();
    for (int i = 0; i < layerCount; i++) {
      built.add(submodule(LAYER_PREFIX + i, new DecoderLayer(config)));
    }
    layers = Collections.unmodifiableList(built);
    transformWeight = param("cls.predictions.transform.dense.weight", Parameter.Type.WEIGHT, h, h);
    transformBias = param("cls.predictions.transform.dense.bias", Parameter.Type.BIAS, h);
    transformNormWeight = param("cls.predictions.transform.LayerNorm.weight", Parameter.Type.GAMMA, h);
    transformNormBias = param("cls.predictions.transform.LayerNorm.bias", Parameter.Type.BETA, h);
    outputBias = param("cls.predictions.bias", Parameter.Type.BIAS, config.vocabSize());
    if (copyAttention) {
      copyQueryWeight = param("copy.query.weight", Parameter.Type.WEIGHT, h, h);
      copyQueryBias = param("copy.query.bias", Parameter.Type.BIAS, h);
      copyKeyWeight = param("copy.key.weight", Parameter.Type.WEIGHT, h, h);
      copyKeyBias = param("copy.key.bias", Parameter.Type.BIAS, h);
      gateWeight = param("copy.gate.weight", Parameter.Type.WEIGHT, 1, h);
      gateBias = param("copy.gate.bias", Parameter.Type.BIAS, 1);
    } else {
      copyQueryWeight = null;
      copyQueryBias = null;
      copyKeyWeight = null;
      copyKeyBias = null;
      gateWeight = null;
      gateBias = null;
    }
  }

  /** {@return whether the decoder has copy attention (and so needs a copy mask)} */
  public boolean copies() {
    return gateWeight != null;
  }

  /** {@return the longest sequence the decoder reads, start token included} */
  public int maxTokens() {
    return maxTokens;
  }

  /** {@return the number of decoder layers} */
  public int layerCount() {
    return layers.size();
  }

  /**
   * The vocabulary logits of {@link #forward} (without the copy scores).
   *
   * @param ps the parameter store of the call
   * @param wordTable the ranking encoder's word embeddings [vocab, hidden]
   * @param inputIds [batch, len] int64, starting with the start token; len at most {@link #maxTokens}
   * @param memory encoder states [batch, src, hidden]
   * @param memoryBias [batch, 1, 1, src]: 0 at real encoder positions, {@link #MASKED} at padding
   * @param training whether to apply dropout and record gradients
   * @return the logits [batch, len, vocab]
   * @throws IllegalArgumentException if {@code inputIds} is longer than {@link #maxTokens}
   */
  public NDArray logits(
      ParameterStore ps,
      NDArray wordTable,
      NDArray inputIds,
      NDArray memory,
      NDArray memoryBias,
      boolean training) {
    NDArray hidden = hidden(ps, wordTable, inputIds, memory, memoryBias, training);
    return outputLogits(ps, wordTable, null, hidden, training);
  }

  /**
   * Next-token scores for every position of {@code inputIds} (teacher forcing).
   *
   * @param ps the parameter store of the call
   * @param wordTable the ranking encoder's word embeddings [vocab, hidden]
   * @param inputIds [batch, len] int64, starting with the start token; len at most {@link #maxTokens}
   * @param memory encoder states [batch, src, hidden]
   * @param memoryBias [batch, 1, 1, src]: 0 at real encoder positions, {@link #MASKED} at padding
   * @param copyMask [batch, 1, src]: 0 at positions whose token may be copied, {@link #MASKED} elsewhere
   *     (padding, special and prefix tokens); required with copy attention, ignored without
   * @param training whether to apply dropout and record gradients
   * @return scores with shapes [batch, len, vocab], [batch, len, src] and [batch, len]
   * @throws IllegalArgumentException if {@code inputIds} is longer than {@link #maxTokens}, or the
   *     decoder has copy attention and {@code copyMask} is null
   */
  public Output forward(
      ParameterStore ps,
      NDArray wordTable,
      NDArray inputIds,
      NDArray memory,
      NDArray memoryBias,
      NDArray copyMask,
      boolean training) {
    NDArray x = hidden(ps, wordTable, inputIds, memory, memoryBias, training);
    return output(ps, wordTable, null, x, copies() ? copyKeys(ps, memory, training) : null, copyMask, training);
  }

  /** The last decoder layer's output [batch, len, hidden]. */
  private NDArray hidden(
      ParameterStore ps,
      NDArray wordTable,
      NDArray inputIds,
      NDArray memory,
      NDArray memoryBias,
      boolean training) {
    int len = (int) inputIds.getShape().get(1);
    checkArgument(len <= maxTokens, "%s decoder tokens exceed the decoder's maxTokens %s", len, maxTokens);
    NDManager scope = inputIds.getManager();
    NDArray positions = scope.arange(0, len, 1, DataType.INT64, inputIds.getDevice());
    NDArray x = embed(ps, wordTable, inputIds, positions.expandDims(0), training);
    NDArray causal = causalBias(scope, len);
    for (DecoderLayer layer : layers) {
      AttentionBlock cross = layer.crossAttention();
      x = layer.apply(
          ps, x, causal, cross.keys(ps, memory, training), cross.values(ps, memory, training), memoryBias,
          training);
    }
    return x;
  }

  private Output output(
      ParameterStore ps, NDArray wordTable, BFloat16Product outputProduct, NDArray x, NDArray copyKeys,
      NDArray copyMask, boolean training) {
    NDArray logits = outputLogits(ps, wordTable, outputProduct, x, training);
    if (!copies()) {
      return new Output(logits, null, null);
    }
    checkArgument(copyMask != null, "a decoder with copy attention needs the copy mask");
    NDArray queries = AttentionBlock.linear(ps, x, copyQueryWeight, copyQueryBias, training);
    NDArray scores =
        ScalarOps.dividedBy(queries.matMul(copyKeys.transpose(0, 2, 1)), (float) Math.sqrt(config.hiddenSize()))
            .add(copyMask);
    NDArray gate = AttentionBlock.linear(ps, x, gateWeight, gateBias, training).squeeze(-1);
    return new Output(logits, scores, gate);
  }

  private NDArray copyKeys(ParameterStore ps, NDArray memory, boolean training) {
    return AttentionBlock.linear(ps, memory, copyKeyWeight, copyKeyBias, training);
  }

  /**
   * Starts incremental decoding: computes every layer's cross-attention keys and values (and the copy
   * keys) once.
   *
   * @param ps the parameter store of the call
   * @param memory encoder states [batch, src, hidden]
   * @param memoryBias [batch, 1, 1, src], as {@link #memoryBias(NDArray)} makes it
   * @param copyMask as for {@link #forward}; null for a decoder without copy attention
   * @return a state that owns {@code memoryBias} and {@code copyMask} from now on (it closes them once
   *     {@link DecoderState#select} replaces them)
   * @throws IllegalArgumentException if the decoder has copy attention and {@code copyMask} is null
   */
  public DecoderState start(ParameterStore ps, NDArray memory, NDArray memoryBias, NDArray copyMask) {
    List<DecoderState.LayerCache> caches = new ArrayList<>();
    for (DecoderLayer layer : layers) {
      AttentionBlock cross = layer.crossAttention();
      caches.add(new DecoderState.LayerCache(cross.keys(ps, memory, false), cross.values(ps, memory, false)));
    }
    checkArgument(!copies() || copyMask != null, "a decoder with copy attention needs the copy mask");
    return new DecoderState(
        caches, memoryBias, copies() ? copyKeys(ps, memory, false) : null, copies() ? copyMask : null);
  }

  /**
   * Feeds one token per row at position {@link DecoderState#length()} and returns the next-token scores
   * ([rows, vocab], [rows, src], [rows]); equals the last position of {@link #forward} over the whole
   * prefix.
   *
   * @param ps the parameter store of the call
   * @param wordTable the ranking encoder's word embeddings [vocab, hidden]
   * @param lastIds [rows] int64
   * @param state the state from {@link #start}, advanced by one position
   * @return the next-token scores of each row
   * @throws IllegalArgumentException if {@code state} already holds {@link #maxTokens} positions
   */
  public Output step(ParameterStore ps, NDArray wordTable, NDArray lastIds, DecoderState state) {
    return step(ps, wordTable, null, lastIds, state);
  }

  /**
   * {@link #step(ParameterStore, NDArray, NDArray, DecoderState)} with the output product (the
   * transformed state times the word table) computed by {@code outputProduct}, a bfloat16 copy of
   * {@code wordTable}; null computes it in float32.
   *
   * @param ps the parameter store of the call
   * @param wordTable the ranking encoder's word embeddings [vocab, hidden]
   * @param outputProduct a bfloat16 copy of {@code wordTable}, or null
   * @param lastIds [rows] int64
   * @param state the state from {@link #start}, advanced by one position
   * @return the next-token scores of each row
   * @throws IllegalArgumentException if {@code state} already holds {@link #maxTokens} positions
   */
  public Output step(
      ParameterStore ps, NDArray wordTable, BFloat16Product outputProduct, NDArray lastIds, DecoderState state) {
    checkArgument(
        state.length() < maxTokens, "the decoder reads at most %s tokens; stop before that", maxTokens);
    NDArray position =
        lastIds.getManager().create(new long[] {state.length()}, new Shape(1, 1));
    NDArray x = embed(ps, wordTable, lastIds.expandDims(1), position, false);
    for (int i = 0; i < layers.size(); i++) {
      x = layers.get(i).step(ps, x, state.layers().get(i), state.memoryBias(), state.rowsPerGroup());
    }
    state.advance();
    long rows = lastIds.getShape().get(0);
    // Copy attention reads the copy keys per group too: [rows, 1, hidden] as [groups, rowsPerGroup,
    // hidden] gives [groups, rowsPerGroup, src] scores, which reshape back to one row each.
    NDArray grouped = x.reshape(rows / state.rowsPerGroup(), state.rowsPerGroup(), config.hiddenSize());
    Output out = output(ps, wordTable, outputProduct, grouped, state.copyKeys(), state.copyMask(), false);
    return new Output(
        out.logits().reshape(rows, config.vocabSize()),
        out.copyScores() == null ? null : out.copyScores().reshape(rows, -1),
        out.gateLogits() == null ? null : out.gateLogits().reshape(rows));
  }

  private NDArray embed(
      ParameterStore ps, NDArray wordTable, NDArray ids, NDArray positionIds, boolean training) {
    NDArray words = Embedding.embedding(ids, wordTable, SparseFormat.DENSE).singletonOrThrow();
    NDArray positions =
        Embedding.embedding(positionIds, ps.getValue(positionEmbeddings, ids.getDevice(), training),
                SparseFormat.DENSE)
            .singletonOrThrow();
    NDArray normed = norm(ps, words.add(positions), embeddingNormWeight, embeddingNormBias, training);
    return AttentionBlock.dropout(normed, training);
  }

  private NDArray outputLogits(
      ParameterStore ps, NDArray wordTable, BFloat16Product outputProduct, NDArray x, boolean training) {
    NDArray transformed =
        norm(ps, Activation.gelu(AttentionBlock.linear(ps, x, transformWeight, transformBias, training)),
            transformNormWeight, transformNormBias, training);
    NDArray bias = ps.getValue(outputBias, x.getDevice(), training);
    if (outputProduct != null) {
      return outputProduct.times(transformed).add(bias);
    }
    return Linear.linear(transformed, wordTable, bias).singletonOrThrow();
  }

  private NDArray norm(ParameterStore ps, NDArray x, Parameter weight, Parameter bias, boolean training) {
    return LayerNorm.layerNorm(
            x,
            new Shape(config.hiddenSize()),
            ps.getValue(weight, x.getDevice(), training),
            ps.getValue(bias, x.getDevice(), training),
            config.layerNormEps())
        .singletonOrThrow();
  }

  /** [1, 1, len, len]: 0 on and below the diagonal, {@link #MASKED} above (a position's future). */
  static NDArray causalBias(NDManager scope, int len) {
    float[] values = new float[len * len];
    for (int row = 0; row < len; row++) {
      for (int col = row + 1; col < len; col++) {
        values[row * len + col] = MASKED;
      }
    }
    return scope.create(values, new Shape(1, 1, len, len));
  }

  /**
   * Turns a 0/1 attention mask into the additive bias {@link #forward} takes.
   *
   * @param attentionMask [batch, src]: 1 at real tokens, 0 at padding
   * @return float32 [batch, 1, 1, src]: 0 at real tokens, {@link #MASKED} at padding
   */
  public static NDArray memoryBias(NDArray attentionMask) {
    NDArray mask = attentionMask.toType(DataType.FLOAT32, false);
    return mask.neg().add(1f).mul(MASKED).expandDims(1).expandDims(1);
  }

  /**
   * Warm-start tensors for this decoder, taken from a trained encoder's weights (HF {@code BertModel}
   * names, under {@code encoderPrefix}): decoder layer {@code i} takes both its self-attention and its
   * cross-attention, and its feed-forward, from encoder layer {@code first + i}; the position
   * embeddings (first {@link #maxTokens} rows) and their LayerNorm from the encoder's embeddings. The
   * output transform and bias have no counterpart and are not in the result.
   *
   * @param encoder the encoder's tensors by HF name
   * @param encoderPrefix what precedes the HF names in {@code encoder} ({@code "bert."} or {@code ""})
   * @param first the encoder layer decoder layer 0 starts from
   * @return tensors named as this decoder's parameters
   * @throws IllegalArgumentException if encoder layers {@code first} to {@code first + layerCount() - 1}
   *     do not exist, or {@code encoder} lacks a tensor to start from
   */
  public Map<String, Tensor> warmStartTensors(Map<String, Tensor> encoder, String encoderPrefix, int first) {
    checkArgument(
        first >= 0 && first + layers.size() <= config.numHiddenLayers(),
        "encoder layers %s..%s do not exist (the encoder has %s)",
        first, first + layers.size() - 1, config.numHiddenLayers());
    Map<String, Tensor> out = new LinkedHashMap<>();
    Tensor positions = require(encoder, encoderPrefix + "embeddings.position_embeddings.weight");
    int h = config.hiddenSize();
    float[] rows = new float[maxTokens * h];
    System.arraycopy(positions.toFloatArray(), 0, rows, 0, rows.length);
    out.put("bert.embeddings.position_embeddings.weight",
        Tensor.ofFloats("bert.embeddings.position_embeddings.weight", new long[] {maxTokens, h}, rows));
    for (String part : List.of("weight", "bias")) {
      out.put("bert.embeddings.LayerNorm." + part, require(encoder, encoderPrefix + "embeddings.LayerNorm." + part));
    }
    for (int i = 0; i < layers.size(); i++) {
      String source = encoderPrefix + "encoder.layer." + (first + i) + ".";
      String target = LAYER_PREFIX + i + ".";
      for (String name : layers.get(i).weightSlots().keySet()) {
        // crossattention.* has no encoder counterpart: it starts as a copy of the self-attention.
        String encoderName = name.startsWith("crossattention.") ? "attention." + name.substring(15) : name;
        out.put(target + name, require(encoder, source + encoderName));
      }
    }
    return out;
  }

  private static Tensor require(Map<String, Tensor> tensors, String name) {
    Tensor t = tensors.get(name);
    checkArgument(t != null, "encoder weights have no tensor '%s' to warm-start the decoder from", name);
    return t;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(logits(ps, inputs.get(0), inputs.get(1), inputs.get(2), inputs.get(3), training));
  }
}
