package io.github.r2r.training.train;

import static com.google.common.base.Preconditions.checkArgument;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.r2r.model.io.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (decoupled weight decay, Loshchilov &amp; Hutter) with bias correction, as in PyTorch's
 * {@code torch.optim.AdamW}. Written here rather than taken from DJL because its moment estimates must be
 * saved and restored exactly for a crashed run to resume to the same parameters.
 */
public final class AdamW {
  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final float weightDecay;
  private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
  private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
  private long steps;

  /**
   * An optimizer with no step taken and no moments yet.
   *
   * @param beta1 decay of the first-moment estimate, in [0, 1)
   * @param beta2 decay of the second-moment estimate, in [0, 1)
   * @param epsilon added to the denominator, positive
   * @param weightDecay decoupled weight decay per unit of learning rate, non-negative
   * @throws IllegalArgumentException if a value is out of its range
   */
  public AdamW(float beta1, float beta2, float epsilon, float weightDecay) {
    checkArgument(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), got %s", beta1);
    checkArgument(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), got %s", beta2);
    checkArgument(epsilon > 0, "epsilon must be positive, got %s", epsilon);
    checkArgument(weightDecay >= 0, "weightDecay must be non-negative, got %s", weightDecay);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
  }

  /**
   * PyTorch's defaults: betas 0.9 and 0.999, epsilon 1e-8.
   *
   * @param weightDecay decoupled weight decay, non-negative
   * @return the optimizer
   * @throws IllegalArgumentException if {@code weightDecay} is negative
   */
  public static AdamW defaults(float weightDecay) {
    return new AdamW(0.9f, 0.999f, 1e-8f, weightDecay);
  }

  /** Call once per optimisation step, before the {@link #update} calls of that step. */
  public void beginStep() {
    steps++;
  }

  /** {@return the number of steps begun so far (restored by {@link #importState})} */
  public long steps() {
    return steps;
  }

  /**
   * Updates {@code weight} in place from {@code gradient}.
   *
   * @param name the parameter's name, which keys its moment estimates
   * @param weight the parameter, updated in place; its moments are created on its manager
   * @param gradient the parameter's gradient, of the weight's shape
   * @param learningRate the step's learning rate
   * @param decay whether weight decay applies (not to biases and LayerNorm parameters)
   * @throws IllegalArgumentException if {@link #beginStep()} was never called
   */
  public void update(String name, NDArray weight, NDArray gradient, float learningRate, boolean decay) {
    checkArgument(steps > 0, "beginStep() must be called before update()");
    NDManager owner = weight.getManager();
    NDArray m = firstMoments.computeIfAbsent(name, k -> owner.zeros(weight.getShape()));
    NDArray v = secondMoments.computeIfAbsent(name, k -> owner.zeros(weight.getShape()));
    // Every temporary is closed here: results of NDArray ops attach to the first operand's manager,
    // which for weights and moments lives as long as the model, so anything left open would leak.
    try (NDArray scaled = gradient.mul(1 - beta1)) {
      m.muli(beta1).addi(scaled);
    }
    try (NDArray squared = gradient.square()) {
      v.muli(beta2).addi(squared.muli(1 - beta2));
    }
    double correction1 = 1 - Math.pow(beta1, steps);
    double correction2 = 1 - Math.pow(beta2, steps);
    try (NDArray denominator = v.div((float) correction2);
        NDArray step = m.mul((float) (learningRate / correction1))) {
      denominator.powi(0.5f).addi(epsilon);
      step.divi(denominator);
      if (decay && weightDecay > 0) {
        weight.muli(1 - learningRate * weightDecay);
      }
      weight.subi(step);
    }
  }

  /** {@return the moment estimates as tensors ({@code m.NAME}, {@code v.NAME}) for a checkpoint} */
  public Map<String, Tensor> exportState() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : firstMoments.entrySet()) {
      out.put("m." + e.getKey(), tensor("m." + e.getKey(), e.getValue()));
      out.put("v." + e.getKey(), tensor("v." + e.getKey(), secondMoments.get(e.getKey())));
    }
    return out;
  }

  /**
   * Restores what {@link #exportState()} produced, after {@code completedSteps} completed steps; the
   * moments held before are dropped.
   *
   * @param state the tensors {@link #exportState()} produced
   * @param completedSteps the number of steps taken when the state was exported
   * @param manager the manager the moments are created on
   * @throws IllegalArgumentException if a tensor's name starts with neither {@code m.} nor {@code v.}
   */
  public void importState(Map<String, Tensor> state, long completedSteps, NDManager manager) {
    firstMoments.clear();
    secondMoments.clear();
    for (Map.Entry<String, Tensor> e : state.entrySet()) {
      String key = e.getKey();
      Tensor t = e.getValue();
      NDArray array = manager.create(t.toFloatArray(), new ai.djl.ndarray.types.Shape(t.shape()));
      if (key.startsWith("m.")) {
        firstMoments.put(key.substring(2), array);
      } else if (key.startsWith("v.")) {
        secondMoments.put(key.substring(2), array);
      } else {
        throw new IllegalArgumentException("optimizer state has an unexpected tensor '" + key + "'");
      }
    }
    this.steps = completedSteps;
  }

  private static Tensor tensor(String name, NDArray array) {
    return Tensor.ofFloats(name, array.getShape().getShape(), array.toFloatArray());
  }
}
