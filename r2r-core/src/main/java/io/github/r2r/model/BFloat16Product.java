package io.github.r2r.model;

import static com.google.common.base.Preconditions.checkArgument;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;

/**
 * A fixed matrix {@code W} [out, in] kept as a bfloat16 copy, for products {@code x Wᵀ} computed in
 * bfloat16 with a float32 result. For inference in {@link Precision#BF16}, where a product reads more
 * weight than it does arithmetic: the reason decoder's output product reads its whole 30,522-word
 * table for a dozen rows at every generated token, so halving the bytes read is what makes it faster.
 *
 * <p>The copy is taken when this is created (later changes to {@code W} are not seen) and lives in
 * its own memory scope until {@link #close}. Thread-safe: {@link #times} may run on several threads.
 */
public final class BFloat16Product implements AutoCloseable {
  private final NDManager scope;
  private final ScriptedModule module;
  /** A one-element list holding the bfloat16 copy (DJL cannot hold a bfloat16 tensor itself). */
  private final IValue weight;
  /** {@code in}: the length of the vectors the matrix multiplies. */
  private final long inputs;

  /**
   * Takes a bfloat16 copy of {@code weight} (float32, [out, in]) on its manager's device.
   *
   * @param weight the matrix {@code W}, float32 [out, in]; not retained
   * @throws IllegalArgumentException if {@code weight} is null or not a float32 matrix
   */
  public BFloat16Product(NDArray weight) {
    checkArgument(weight != null, "weight is null");
    checkArgument(weight.getDataType() == DataType.FLOAT32 && weight.getShape().dimension() == 2,
        "weight must be a float32 matrix [out, in], got %s %s", weight.getDataType(), weight.getShape());
    inputs = weight.getShape().get(1);
    scope = weight.getManager().newSubManager();
    try (ScriptedModule converter = ScriptedModule.load(scope, "to_bfloat16.torchscript", "ToBFloat16");
        IValue tensors = IValue.listFrom((PtNDArray) weight);
        IValue convert = IValue.listFrom(true)) {
      this.weight = converter.forward(tensors, convert);
    } catch (RuntimeException e) {
      scope.close();
      throw e;
    }
    try {
      module = ScriptedModule.load(scope, "bfloat16_product.torchscript", "BFloat16Product");
    } catch (RuntimeException e) {
      this.weight.close();
      scope.close();
      throw e;
    }
  }

  /**
   * {@code x Wᵀ}, float32 [..., out] in {@code x}'s manager, for float32 {@code x} [..., in].
   *
   * @param x float32 [..., in]
   * @return float32 [..., out], computed in bfloat16
   * @throws IllegalArgumentException if {@code x} is not float32 or its last dimension is not {@code in}
   */
  public NDArray times(NDArray x) {
    checkArgument(x.getDataType() == DataType.FLOAT32 && x.getShape().dimension() >= 1
            && x.getShape().get(x.getShape().dimension() - 1) == inputs,
        "x must be float32 [..., %s], got %s %s", inputs, x.getDataType(), x.getShape());
    try (IValue input = IValue.from((PtNDArray) x);
        IValue out = module.forward(input, weight)) {
      return out.toTensor((PtNDManager) x.getManager());
    }
  }

  @Override
  public void close() {
    module.close();
    weight.close();
    scope.close();
  }
}
