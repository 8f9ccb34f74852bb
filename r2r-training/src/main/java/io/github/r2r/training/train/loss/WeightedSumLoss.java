package io.github.r2r.training.train.loss;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A weighted sum of ranking losses, with either fixed weights ({@code total = Σ w_k L_k}) or
 * learnable ones as in Reason-to-Rank ({@code total = Σ sigmoid(w_k) L_k}, each {@code w_k} a
 * scalar the trainer updates by gradient).
 *
 * <p>The learnable {@code w_k} live on the manager given at construction, which must outlive every
 * training step. Since {@code d total / d w_k = sigmoid'(w_k) L_k} is positive for a positive loss,
 * plain gradient descent shrinks every weight; the trainer decides how to counter that (a small
 * learning rate for the weights, or a bound), this class only exposes them.
 */
public final class WeightedSumLoss implements RankingLoss {
  private final ImmutableList<RankingLoss> components;

  /** The fixed weights; empty when the weights are learnable. */
  private final ImmutableList<Float> fixedWeights;

  /** The learnable logits {@code w_k}; empty when the weights are fixed. */
  private final ImmutableList<NDArray> weightLogits;

  private WeightedSumLoss(
      ImmutableList<RankingLoss> components,
      ImmutableList<Float> fixedWeights,
      ImmutableList<NDArray> weightLogits) {
    this.components = components;
    this.fixedWeights = fixedWeights;
    this.weightLogits = weightLogits;
  }

  /** {@return a builder with no component} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the components, in the order they were added} */
  public ImmutableList<RankingLoss> components() {
    return components;
  }

  /** {@return whether the weights are learnable ({@code sigmoid(w_k)}) rather than fixed} */
  public boolean hasLearnableWeights() {
    return !weightLogits.isEmpty();
  }

  /**
   * The scalar logits {@code w_k}, one per component in order, with gradients required; each is
   * named {@code loss_weight/<component name>}. Empty for fixed weights.
   *
   * @return the logits, on the manager given to {@link Builder#buildLearnable}
   */
  public ImmutableList<NDArray> learnableParameters() {
    return weightLogits;
  }

  @Override
  public NDArray compute(NDArray scores, RankingTargets targets) {
    NDArray total = null;
    for (int k = 0; k < components.size(); k++) {
      NDArray term =
          components.get(k).compute(scores, targets).mul(effectiveWeight(k, scores.getManager()));
      total = total == null ? term : total.add(term);
    }
    return total;
  }

  /**
   * Like {@link #compute}, and also reads each component's value and effective weight back to the
   * host for logging (one synchronisation per component).
   *
   * @param scores student scores {@code [lists, listSize]}, {@code FLOAT32}
   * @param targets the batch's supervision
   * @return the total and each component's value and effective weight
   * @throws IllegalArgumentException if a component's value is not a scalar, or a component refuses the
   *     scores or targets (for example targets it needs are missing)
   */
  public LossBreakdown computeWithBreakdown(NDArray scores, RankingTargets targets) {
    NDManager stepManager = scores.getManager();
    ImmutableMap.Builder<String, Float> values = ImmutableMap.builder();
    ImmutableMap.Builder<String, Float> weights = ImmutableMap.builder();
    NDArray total = null;
    for (int k = 0; k < components.size(); k++) {
      RankingLoss component = components.get(k);
      NDArray value = component.compute(scores, targets);
      LossBreakdown.requireScalar(value, "loss term '" + component.name() + "'");
      NDArray weight = effectiveWeight(k, stepManager);
      NDArray term = value.mul(weight);
      total = total == null ? term : total.add(term);
      values.put(component.name(), value.getFloat());
      weights.put(component.name(), weight.getFloat());
    }
    return new LossBreakdown(total, values.buildOrThrow(), weights.buildOrThrow());
  }

  /**
   * The weight of component {@code k} as a scalar on {@code stepManager}. For a learnable weight
   * the logit enters as the second operand of an addition: DJL attaches results to the first
   * operand's manager, so this keeps every per-step array off the long-lived parameter manager.
   */
  private NDArray effectiveWeight(int k, NDManager stepManager) {
    if (!hasLearnableWeights()) {
      return stepManager.create(fixedWeights.get(k));
    }
    return Activation.sigmoid(stepManager.create(0f).add(weightLogits.get(k)));
  }

  /** What any component requires: every component is computed at every step. */
  @Override
  public Set<TargetSource> requiredTargets() {
    Set<TargetSource> required = EnumSet.noneOf(TargetSource.class);
    components.forEach(c -> required.addAll(c.requiredTargets()));
    return Collections.unmodifiableSet(required);
  }

  @Override
  public String name() {
    return "weighted_sum";
  }

  @Override
  public String toString() {
    List<String> terms = new ArrayList<>();
    for (int k = 0; k < components.size(); k++) {
      String weight =
          hasLearnableWeights() ? "sigmoid(w" + k + ")" : String.valueOf(fixedWeights.get(k));
      terms.add(weight + " * " + components.get(k));
    }
    return String.join(" + ", terms);
  }

  /** Collects components with their weights. */
  public static final class Builder {
    private final List<RankingLoss> components = new ArrayList<>();
    private final List<Float> weights = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    private Builder() {}

    /**
     * Adds {@code component} with {@code weight}: the fixed weight for {@link #buildFixed}, or the
     * initial effective weight {@code sigmoid(w_k)} for {@link #buildLearnable}.
     *
     * @param component the loss, whose name no other component has
     * @param weight its weight, finite (its range is checked when building)
     * @return this builder
     * @throws NullPointerException if {@code component} is null
     * @throws IllegalArgumentException if a component of the same name was added, or {@code weight} is
     *     not finite
     */
    public Builder add(RankingLoss component, float weight) {
      checkNotNull(component, "component");
      checkArgument(
          names.add(component.name()),
          "component names must be unique, %s was added twice",
          component.name());
      checkArgument(
          Float.isFinite(weight), "weight of %s must be finite, got %s", component.name(), weight);
      components.add(component);
      weights.add(weight);
      return this;
    }

    /**
     * A sum with the given weights, each non-negative and not all 0.
     *
     * @return the loss
     * @throws IllegalStateException if no component was added
     * @throws IllegalArgumentException if a weight is negative or every weight is 0
     */
    public WeightedSumLoss buildFixed() {
      checkState(!components.isEmpty(), "a weighted sum needs at least one component");
      for (int k = 0; k < components.size(); k++) {
        checkArgument(
            weights.get(k) >= 0,
            "fixed weight of %s must be non-negative, got %s",
            components.get(k).name(),
            weights.get(k));
      }
      // Such a run would train nothing but weight decay, with a model card like any other run's.
      checkArgument(
          weights.stream().anyMatch(w -> w > 0), "every fixed weight is 0, so the sum would train nothing");
      return new WeightedSumLoss(
          ImmutableList.copyOf(components), ImmutableList.copyOf(weights), ImmutableList.of());
    }

    /**
     * A sum with learnable weights created on {@code parameterManager}, each starting at the given
     * effective weight, which must lie strictly between 0 and 1 ({@code w_k = logit(weight)}).
     *
     * @param parameterManager the long-lived manager the logits live on (not a step's)
     * @return the loss
     * @throws IllegalArgumentException if {@code parameterManager} is null or a weight is not strictly
     *     between 0 and 1
     * @throws IllegalStateException if no component was added
     */
    public WeightedSumLoss buildLearnable(NDManager parameterManager) {
      checkArgument(parameterManager != null, "learnable weights need a manager to live on, got null");
      checkState(!components.isEmpty(), "a weighted sum needs at least one component");
      ImmutableList.Builder<NDArray> logits = ImmutableList.builder();
      for (int k = 0; k < components.size(); k++) {
        float weight = weights.get(k);
        String name = components.get(k).name();
        checkArgument(
            weight > 0 && weight < 1,
            "initial learnable weight of %s must lie strictly between 0 and 1, got %s",
            name,
            weight);
        NDArray logit = parameterManager.create((float) Math.log(weight / (1.0 - weight)));
        logit.setName("loss_weight/" + name);
        logit.setRequiresGradient(true);
        logits.add(logit);
      }
      return new WeightedSumLoss(
          ImmutableList.copyOf(components), ImmutableList.of(), logits.build());
    }
  }
}
