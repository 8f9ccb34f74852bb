package io.github.r2r.model;

import static com.google.common.base.Preconditions.checkArgument;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A DJL block whose parameters carry their HuggingFace names ({@code encoder.layer.0.output.dense.weight})
 * and declared shapes, so weights can be loaded from and saved to HF checkpoints by name, with a clear
 * error naming the tensor that does not fit.
 *
 * <p>Parameters are always set from an array (loaded or freshly initialised by {@link WeightStore}),
 * never through DJL's lazy shape inference: the architecture is fully known from the config.
 */
public abstract class HfBlock extends AbstractBlock {
  private final Map<String, WeightSlot> ownSlots = new LinkedHashMap<>();
  private final Map<String, HfBlock> submodules = new LinkedHashMap<>();

  /** A named parameter and the shape the architecture requires of it. */
  public record WeightSlot(String name, Parameter parameter, Shape shape, Parameter.Type type) {}

  /**
   * Declares a parameter of this block under its HF name.
   *
   * @param name the HF name, relative to this block
   * @param type what the parameter is (weight, bias, LayerNorm scale or shift): decides its initialiser
   * @param shape the shape the architecture requires
   * @return the parameter, not yet set
   * @throws IllegalArgumentException if this block already declared {@code name}
   */
  protected final Parameter param(String name, Parameter.Type type, long... shape) {
    checkArgument(!ownSlots.containsKey(name), "duplicate parameter name %s", name);
    Parameter parameter = addParameter(Parameter.builder().setName(name).setType(type).build());
    ownSlots.put(name, new WeightSlot(name, parameter, new Shape(shape), type));
    return parameter;
  }

  /**
   * Declares a child block whose parameters are named under {@code prefix + "."}.
   *
   * @param <B> the child's type
   * @param prefix the child's HF name, relative to this block ({@code encoder.layer.0})
   * @param block the child
   * @return {@code block}
   * @throws IllegalArgumentException if this block already declared {@code prefix}
   */
  protected final <B extends HfBlock> B submodule(String prefix, B block) {
    checkArgument(!submodules.containsKey(prefix), "duplicate submodule %s", prefix);
    submodules.put(prefix, addChildBlock(prefix.replace('.', '_'), block));
    return block;
  }

  /**
   * {@return all parameters of this block and its submodules, keyed by full HF name, in declaration
   * order}
   */
  public final Map<String, WeightSlot> weightSlots() {
    Map<String, WeightSlot> all = new LinkedHashMap<>();
    collect("", all);
    return Collections.unmodifiableMap(all);
  }

  private void collect(String prefix, Map<String, WeightSlot> out) {
    for (WeightSlot slot : ownSlots.values()) {
      String full = prefix + slot.name();
      out.put(full, new WeightSlot(full, slot.parameter(), slot.shape(), slot.type()));
    }
    for (Map.Entry<String, HfBlock> sub : submodules.entrySet()) {
      sub.getValue().collect(prefix + sub.getKey() + ".", out);
    }
  }

  /**
   * The parameter's array on the device of {@code like} (tracks gradients when training).
   *
   * @param store the parameter store of the call
   * @param parameter the parameter
   * @param like an array on the device wanted
   * @param training whether to record gradients
   * @return the parameter's value
   */
  protected static NDArray value(ParameterStore store, Parameter parameter, NDArray like, boolean training) {
    return store.getValue(parameter, like.getDevice(), training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " is built from its config; shape inference is not used");
  }
}
