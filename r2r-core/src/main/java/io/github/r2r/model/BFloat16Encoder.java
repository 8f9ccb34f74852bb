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

/**
 * The inference path of {@link BertEncoder#infer} with its matrix products and attention in bfloat16
 * ({@link Precision#BF16}), run as a TorchScript module ({@code bfloat16_encoder.torchscript}): the
 * residual stream, LayerNorms and embeddings stay float32, so the result is the float32 path's up to
 * bfloat16 rounding of the products' inputs. On a CPU with AVX512-BF16 or AMX the products run at
 * about twice the float32 rate (docs/performance.md).
 *
 * <p>Holds bfloat16 copies of the encoder's weights as they were at construction: for inference only
 * (training updates the float32 weights, not these copies). Thread-safe.
 */
final class BFloat16Encoder implements AutoCloseable {
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
  private final ScriptedModule module;
  private final IValue weights;
  private final IValue heads;
  private final IValue eps;

  BFloat16Encoder(BertEncoder encoder, NDManager manager) {
    config = encoder.config();
    module = ScriptedModule.load(manager, "bfloat16_encoder.torchscript", "BFloat16Encoder");
    try (ScriptedModule toBFloat16 = ScriptedModule.load(manager, "to_bfloat16.torchscript", "ToBFloat16");
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
        add(tensors, convert, fused(scope, p.get(1), p.get(3), p.get(5)), true);
        for (int k = 6; k < LAYER_PARAMETERS; k++) {
          add(tensors, convert, p.get(k), !LAYER_PARAMETER_NAMES.get(k).contains("LayerNorm"));
        }
      }
      boolean[] flags = new boolean[convert.size()];
      for (int i = 0; i < flags.length; i++) {
        flags[i] = convert.get(i);
      }
      try (IValue input = IValue.listFrom(tensors.toArray(new PtNDArray[0]));
          IValue which = IValue.listFrom(flags)) {
        weights = toBFloat16.forward(input, which);
      }
    } catch (RuntimeException e) {
      module.close();
      throw e;
    }
    heads = IValue.from((long) config.numAttentionHeads());
    eps = IValue.from((double) config.layerNormEps());
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
        IValue out = module.forward(ids, types, mask, weights, heads, eps, pad)) {
      return out.toTensor((PtNDManager) scope);
    }
  }

  @Override
  public void close() {
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
          throw new IllegalStateException("parameter " + name + " where the bfloat16 encoder expects layer "
              + layer + "'s " + LAYER_PARAMETER_NAMES.get(k));
        }
      }
    }
  }

  private static void add(List<PtNDArray> tensors, List<Boolean> convert, NDArray tensor, boolean toBFloat16) {
    tensors.add((PtNDArray) tensor);
    convert.add(toBFloat16);
  }

  private static NDArray fused(NDManager scope, NDArray query, NDArray key, NDArray value) {
    NDArray out = NDArrays.concat(new NDList(query, key, value), 0);
    out.attach(scope);
    return out;
  }
}
