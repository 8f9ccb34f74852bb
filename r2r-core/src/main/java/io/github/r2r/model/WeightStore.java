package io.github.r2r.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.google.common.primitives.Ints;
import io.github.r2r.model.io.MalformedWeightsException;
import io.github.r2r.model.io.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Moves weights between checkpoint tensors (by HF name) and the parameters of {@link HfBlock}s, and
 * initialises parameters that a checkpoint does not provide (new heads).
 */
public final class WeightStore {
  /** Standard deviation of BERT's truncated-normal initialiser ({@code initializer_range}). */
  private static final float INIT_STD = 0.02f;

  private WeightStore() {}

  /**
   * Sets every parameter of {@code block} from {@code tensors[prefix + name]} (converted to fp32).
   *
   * @param block the block to set
   * @param prefix what precedes the block's parameter names in {@code tensors}
   * @param tensors the checkpoint's tensors by name; extra tensors are ignored
   * @param manager owns the new arrays of parameters not set before
   * @param source names the checkpoint in error messages
   * @throws MalformedWeightsException naming the first missing or mis-shaped tensor
   */
  public static void load(
      HfBlock block, String prefix, Map<String, Tensor> tensors, NDManager manager, String source)
      throws MalformedWeightsException {
    for (HfBlock.WeightSlot slot : block.weightSlots().values()) {
      loadSlot(slot, prefix, tensors, manager, source);
    }
  }

  private static void loadSlot(
      HfBlock.WeightSlot slot, String prefix, Map<String, Tensor> tensors, NDManager manager, String source)
      throws MalformedWeightsException {
    String name = prefix + slot.name();
    Tensor tensor = tensors.get(name);
    if (tensor == null) {
      throw new MalformedWeightsException(
          source + " has no tensor '" + name + "' (expected shape " + slot.shape() + ")");
    }
    Shape actual = new Shape(tensor.shape());
    if (!actual.equals(slot.shape())) {
      throw new MalformedWeightsException(
          source
              + ": tensor '"
              + name
              + "' has shape "
              + actual
              + " but the config requires "
              + slot.shape());
    }
    if (!tensor.dtype().isFloatingPoint()) {
      throw new MalformedWeightsException(
          source + ": tensor '" + name + "' has type " + tensor.dtype() + ", expected a float type");
    }
    setArray(slot.parameter(), manager.create(tensor.toFloatArray(), slot.shape()));
  }

  /**
   * Sets the parameters of {@code block} that {@code tensors} holds (same checks as {@link #load}) and
   * leaves the others as they are; returns the names it did not find (e.g. a new head on top of
   * warm-started layers).
   *
   * @param block the block to set
   * @param prefix what precedes the block's parameter names in {@code tensors}
   * @param tensors the checkpoint's tensors by name
   * @param manager owns the new arrays of parameters not set before
   * @param source names the checkpoint in error messages
   * @return the parameter names (without {@code prefix}) not in {@code tensors}, in declaration order
   * @throws MalformedWeightsException naming the first tensor present with the wrong shape or a
   *     non-float type
   */
  public static List<String> loadPresent(
      HfBlock block, String prefix, Map<String, Tensor> tensors, NDManager manager, String source)
      throws MalformedWeightsException {
    List<String> missing = new ArrayList<>();
    for (HfBlock.WeightSlot slot : block.weightSlots().values()) {
      if (tensors.containsKey(prefix + slot.name())) {
        loadSlot(slot, prefix, tensors, manager, source);
      } else {
        missing.add(slot.name());
      }
    }
    return missing;
  }

  /**
   * Fails unless {@code tensors} hold each of the {@code layers} layers {@code layerPrefix + i + "."}
   * ({@code i} from 0), checked before a block of that many layers is built: a config asking for 10^9
   * layers would otherwise build layers for minutes, until the heap runs out, to find the first missing
   * weight. A layer present here may still miss a weight; {@link #load} names it.
   *
   * @param tensors the checkpoint's tensors by name
   * @param layerPrefix what precedes the layer number in a tensor name
   * @param layers the number of layers the config asks for
   * @param field the config field that asks for the layers, for the message
   * @param source names the checkpoint in the message
   * @throws MalformedWeightsException if a layer in {@code [0, layers)} has no tensor
   */
  public static void requireLayers(
      Map<String, Tensor> tensors, String layerPrefix, int layers, String field, String source)
      throws MalformedWeightsException {
    Set<Integer> held = new HashSet<>();
    for (String name : tensors.keySet()) {
      if (name.startsWith(layerPrefix)) {
        String rest = name.substring(layerPrefix.length());
        int dot = rest.indexOf('.');
        Integer index = dot > 0 ? Ints.tryParse(rest.substring(0, dot)) : null;
        if (index != null && index >= 0 && index < layers) {
          held.add(index);
        }
      }
    }
    if (held.size() < layers) {
      throw new MalformedWeightsException(
          source + " holds " + held.size() + (held.size() == 1 ? " layer" : " layers") + " under '" + layerPrefix
              + "', but " + field + " is " + layers);
    }
  }

  /**
   * Whether {@code tensors} holds every parameter of {@code block} under {@code prefix}.
   *
   * @param block the block
   * @param prefix what precedes the block's parameter names in {@code tensors}
   * @param tensors the tensors by name
   * @return true when every name is there (shapes are not checked)
   */
  public static boolean covers(HfBlock block, String prefix, Map<String, Tensor> tensors) {
    return block.weightSlots().keySet().stream().allMatch(n -> tensors.containsKey(prefix + n));
  }

  /**
   * Initialises every parameter BERT-style: N(0, 0.02) weights, zero biases, unit LayerNorm scales.
   *
   * @param block the block to initialise
   * @param manager owns the new arrays of parameters not set before
   * @param seed seed of the random weights; equal seeds give equal weights
   */
  public static void initialize(HfBlock block, NDManager manager, long seed) {
    Random random = new Random(seed);
    for (HfBlock.WeightSlot slot : block.weightSlots().values()) {
      float[] values = new float[(int) slot.shape().size()];
      if (slot.type() == Parameter.Type.GAMMA) {
        Arrays.fill(values, 1f);
      } else if (slot.type() == Parameter.Type.WEIGHT) {
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) (random.nextGaussian() * INIT_STD);
        }
      }
      setArray(slot.parameter(), manager.create(values, slot.shape()));
    }
  }

  /**
   * The block's parameters as fp32 tensors named {@code prefix + hfName}, in declaration order.
   *
   * @param block the block to export
   * @param prefix prepended to every parameter name
   * @return copies of the parameters, by name
   */
  public static Map<String, Tensor> export(HfBlock block, String prefix) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (HfBlock.WeightSlot slot : block.weightSlots().values()) {
      NDArray array = slot.parameter().getArray();
      float[] values = array.toType(DataType.FLOAT32, false).toFloatArray();
      out.put(prefix + slot.name(), Tensor.ofFloats(prefix + slot.name(), slot.shape().getShape(), values));
    }
    return out;
  }

  /**
   * Names of tensors in {@code tensors} that no parameter of the given blocks consumed.
   *
   * @param tensors the checkpoint's tensors by name
   * @param blocksByPrefix the blocks, each by the prefix its parameters are named under
   * @return the names no block has a parameter for, in {@code tensors}' order
   */
  public static List<String> unused(Map<String, Tensor> tensors, Map<String, HfBlock> blocksByPrefix) {
    List<String> unused = new ArrayList<>();
    for (String name : tensors.keySet()) {
      boolean used = false;
      for (Map.Entry<String, HfBlock> e : blocksByPrefix.entrySet()) {
        if (name.startsWith(e.getKey())
            && e.getValue().weightSlots().containsKey(name.substring(e.getKey().length()))) {
          used = true;
          break;
        }
      }
      if (!used) {
        unused.add(name);
      }
    }
    return unused;
  }

  private static void setArray(Parameter parameter, NDArray array) {
    NDArray previous = parameter.isInitialized() ? parameter.getArray() : null;
    if (previous != null) {
      // Parameter.setArray refuses a second array; replace the values in place instead.
      previous.set(array.toFloatArray());
      array.close();
      return;
    }
    parameter.setArray(array);
  }
}
