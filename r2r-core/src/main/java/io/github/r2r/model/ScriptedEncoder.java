package io.github.r2r.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The inference path of {@link BertEncoder#infer} in a lower precision, run as a TorchScript module;
 * the residual stream, LayerNorms and embeddings stay float32 in both.
 *
 * <ul>
 *   <li>{@link Precision#BF16} ({@code bfloat16_encoder.torchscript}): matrix products and attention
 *       in bfloat16, the float32 path's result up to bfloat16 rounding of the products' inputs. On a
 *       CPU with AVX512-BF16 or AMX the products run at about twice the float32 rate.
 *   <li>{@link Precision#INT8} ({@code int8_encoder.torchscript}): matrix products in int8, weights
 *       quantised per output feature once here, activations per token as they enter a product, with
 *       int32 accumulation; attention in float32. On a CPU with AVX512-VNNI the encoder runs about
 *       1.4 times as fast as in bfloat16 (docs/performance.md). The products write into scratch
 *       tensors kept between calls ({@link Int8Workspaces}).
 * </ul>
 *
 * <p>Holds converted copies of the encoder's weights as they were at construction: for inference only
 * (training updates the float32 weights, not these copies). Thread-safe.
 */
final class ScriptedEncoder implements AutoCloseable {
  private static final int EMBEDDING_TENSORS = 5;
  private static final int LAYER_PARAMETERS = 16;
  /** Names of a layer's parameters in {@link BertEncoder}'s order, which the script relies on. */
  private static final List<String> LAYER_PARAMETER_NAMES = List.of(
      "attention.self.query.weight", "attention.self.query.bias",
      "attention.self.key.weight", "attention.self.key.bias",
      "attention.self.value.weight", "attention.self.value.bias",
      "attention.output.dense.weight", "attention.output.dense.bias",
      "attention.output.LayerNorm.weight", "attention.output.LayerNorm.bias",
      "intermediate.dense.weight", "intermediate.dense.bias",
      "output.dense.weight", "output.dense.bias",
      "output.LayerNorm.weight", "output.LayerNorm.bias");

  private final BertConfig config;
  private final Precision precision;
  private final ScriptedModule module;
  private final IValue weights;
  private final IValue heads;
  private final IValue eps;
  /** Scratch tensors of the int8 script; null for bf16, whose script allocates its own. */
  private final Int8Workspaces workspaces;
  /** The float32 word embeddings, which {@link #bfloat16WordTable} copies. */
  private final NDArray wordEmbeddings;
  /** bf16 only: the word table's bfloat16 copy, made when first asked for; guarded by {@code this}. */
  private BFloat16Product wordTable;

  /** The scripts of one precision: the encoder, and the module that converts its weights. */
  private record Scripts(String encoder, String encoderClass, String converter, String converterClass,
      boolean convertBiases) {}

  private static Scripts scripts(Precision precision) {
    return switch (precision) {
      case BF16 -> new Scripts("bfloat16_encoder.torchscript", "BFloat16Encoder", "to_bfloat16.torchscript",
          "ToBFloat16", true);
      // biases stay float32: they are added after the int32 products are rescaled
      case INT8 -> new Scripts("int8_encoder.torchscript", "Int8Encoder", "to_int8.torchscript", "ToInt8", false);
      case FP32 -> throw new IllegalArgumentException("float32 runs through BertEncoder.infer, not a script");
    };
  }

  ScriptedEncoder(BertEncoder encoder, NDManager manager, Precision precision) {
    config = encoder.config();
    this.precision = precision;
    Scripts scripts = scripts(precision);
    module = ScriptedModule.load(manager, scripts.encoder(), scripts.encoderClass());
    try (ScriptedModule converter = ScriptedModule.load(manager, scripts.converter(), scripts.converterClass());
        NDManager scope = manager.newSubManager()) {
      List<NDArray> parameters = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (var entry : encoder.getParameters()) {
        names.add(entry.getKey());
        parameters.add(entry.getValue().getArray());
      }
      checkLayout(names, config.numHiddenLayers());
      List<PtNDArray> tensors = new ArrayList<>();
      List<Boolean> convert = new ArrayList<>();
      for (int i = 0; i < EMBEDDING_TENSORS; i++) {
        add(tensors, convert, parameters.get(i), false);
      }
      for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
        // query, key and value fused into one product (as BertLayer.infer does); LayerNorms stay float32
        List<NDArray> p = parameters.subList(
            EMBEDDING_TENSORS + layer * LAYER_PARAMETERS, EMBEDDING_TENSORS + (layer + 1) * LAYER_PARAMETERS);
        add(tensors, convert, fused(scope, p.get(0), p.get(2), p.get(4)), true);
        add(tensors, convert, fused(scope, p.get(1), p.get(3), p.get(5)), scripts.convertBiases());
        for (int k = 6; k < LAYER_PARAMETERS; k++) {
          String name = LAYER_PARAMETER_NAMES.get(k);
          boolean product = !name.contains("LayerNorm");
          add(tensors, convert, p.get(k), product && (name.endsWith("weight") || scripts.convertBiases()));
        }
      }
      boolean[] flags = new boolean[convert.size()];
      for (int i = 0; i < flags.length; i++) {
        flags[i] = convert.get(i);
      }
      try (IValue input = IValue.listFrom(tensors.toArray(new PtNDArray[0]));
          IValue which = IValue.listFrom(flags)) {
        weights = converter.forward(input, which);
      }
    } catch (RuntimeException e) {
      module.close();
      throw e;
    }
    heads = IValue.from((long) config.numAttentionHeads());
    eps = IValue.from((double) config.layerNormEps());
    workspaces = precision == Precision.INT8 ? new Int8Workspaces(manager, config) : null;
    wordEmbeddings = encoder.embeddings().wordEmbeddings().getArray();
  }

  /** See {@link RankingModel#bfloat16WordTable}; empty unless this is the bf16 encoder. */
  synchronized Optional<BFloat16Product> bfloat16WordTable() {
    if (precision != Precision.BF16) {
      return Optional.empty();
    }
    if (wordTable == null) {
      wordTable = new BFloat16Product(wordEmbeddings);
    }
    return Optional.of(wordTable);
  }

  /**
   * Last hidden states, float32 {@code [batch, seq, hidden]} in {@code scope}, for int64 {@code [batch,
   * seq]} ids, token types and 0/1 mask; {@code padded} false skips the mask.
   */
  NDArray infer(NDManager scope, NDArray inputIds, NDArray tokenTypeIds, NDArray attentionMask, boolean padded) {
    // the script would only fail on a shape mismatch; say what is wrong, as the float32 path does
    BertEmbeddings.checkFitsPositions(inputIds.getShape().get(1), config);
    try (IValue ids = IValue.from((PtNDArray) inputIds);
        IValue types = IValue.from((PtNDArray) tokenTypeIds);
        IValue mask = IValue.from((PtNDArray) attentionMask);
        IValue pad = IValue.from(padded);
        IValue out = workspaces == null
            ? module.forward(ids, types, mask, weights, heads, eps, pad)
            : workspaces.with(inputIds.getShape().size(),
                workspace -> module.forward(ids, types, mask, weights, heads, eps, pad, workspace))) {
      return out.toTensor((PtNDManager) scope);
    }
  }

  Precision precision() {
    return precision;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (wordTable != null) {
        wordTable.close();
        wordTable = null;
      }
    }
    if (workspaces != null) {
      workspaces.close();
    }
    weights.close();
    heads.close();
    eps.close();
    module.close();
  }

  /** Fails unless the encoder's parameters come in the order the script indexes them. */
  private static void checkLayout(List<String> names, int layers) {
    int expected = EMBEDDING_TENSORS + LAYER_PARAMETERS * layers;
    if (names.size() != expected) {
      throw new IllegalStateException("BERT encoder has " + names.size() + " parameters, expected " + expected);
    }
    for (int layer = 0; layer < layers; layer++) {
      for (int k = 0; k < LAYER_PARAMETERS; k++) {
        String name = names.get(EMBEDDING_TENSORS + layer * LAYER_PARAMETERS + k);
        if (!name.endsWith("layer_" + layer + "_" + LAYER_PARAMETER_NAMES.get(k))) {
          throw new IllegalStateException("parameter " + name + " where the scripted encoder expects layer "
              + layer + "'s " + LAYER_PARAMETER_NAMES.get(k));
        }
      }
    }
  }

  private static void add(List<PtNDArray> tensors, List<Boolean> convert, NDArray tensor, boolean converted) {
    tensors.add((PtNDArray) tensor);
    convert.add(converted);
  }

  private static NDArray fused(NDManager scope, NDArray query, NDArray key, NDArray value) {
    NDArray out = NDArrays.concat(new NDList(query, key, value), 0);
    out.attach(scope);
    return out;
  }
}
