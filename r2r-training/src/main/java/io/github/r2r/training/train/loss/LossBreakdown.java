package io.github.r2r.training.train.loss;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import ai.djl.ndarray.NDArray;
import com.google.common.collect.ImmutableMap;
import io.github.r2r.model.ScalarOps;

/**
 * One evaluation of a {@link WeightedSumLoss}: the differentiable total, and for logging each
 * component's unweighted value and the weight it entered the total with, keyed by component name in
 * the order the components were added.
 */
public final class LossBreakdown {
  private final NDArray total;
  private final ImmutableMap<String, Float> componentValues;
  private final ImmutableMap<String, Float> weights;

  LossBreakdown(
      NDArray total,
      ImmutableMap<String, Float> componentValues,
      ImmutableMap<String, Float> weights) {
    this.total = checkNotNull(total, "total");
    checkArgument(
        componentValues.keySet().equals(weights.keySet()),
        "component values %s and weights %s must name the same components",
        componentValues.keySet(),
        weights.keySet());
    this.componentValues = componentValues;
    this.weights = weights;
  }

  /**
   * A loss with one component of weight 1 (a plain {@link RankingLoss}), for uniform logging.
   *
   * @param name the component's name
   * @param total the loss, a scalar
   * @return the breakdown (reads the value back to the host once)
   * @throws NullPointerException if {@code total} is null
   * @throws IllegalArgumentException if {@code total} is not a scalar
   */
  public static LossBreakdown single(String name, NDArray total) {
    requireScalar(total, "loss term '" + name + "'");
    return new LossBreakdown(total, ImmutableMap.of(name, total.getFloat()), ImmutableMap.of(name, 1f));
  }

  /**
   * The same components with an extra term added to the total (e.g. by a trainer subclass).
   *
   * @param name the term's name, distinct from every component's
   * @param term the term's unweighted value, a scalar
   * @param weight the term's fixed weight, finite
   * @return a new breakdown; this one is unchanged
   * @throws NullPointerException if {@code term} is null
   * @throws IllegalArgumentException if {@code name} is already a component, {@code term} is not a
   *     scalar (a single value) or {@code weight} is not finite
   */
  public LossBreakdown plus(String name, NDArray term, float weight) {
    checkArgument(!componentValues.containsKey(name), "component %s already present", name);
    requireScalar(term, "loss term '" + name + "'");
    checkArgument(Float.isFinite(weight), "weight of loss term '%s' must be finite, got %s", name, weight);
    return new LossBreakdown(
        total.add(ScalarOps.times(term, weight)),
        ImmutableMap.<String, Float>builder().putAll(componentValues).put(name, term.getFloat()).build(),
        ImmutableMap.<String, Float>builder().putAll(weights).put(name, weight).build());
  }

  /**
   * The same components with an extra term whose weight is itself a differentiable scalar (a
   * learnable task weight).
   *
   * @param name the term's name, distinct from every component's
   * @param term the term's unweighted value, a scalar
   * @param weight the term's weight, a scalar (gradients flow into it)
   * @return a new breakdown; this one is unchanged
   * @throws NullPointerException if {@code term} or {@code weight} is null
   * @throws IllegalArgumentException if {@code name} is already a component, or {@code term} or
   *     {@code weight} is not a scalar
   */
  public LossBreakdown plus(String name, NDArray term, NDArray weight) {
    checkArgument(!componentValues.containsKey(name), "component %s already present", name);
    requireScalar(term, "loss term '" + name + "'");
    requireScalar(weight, "weight of loss term '" + name + "'");
    return new LossBreakdown(
        total.add(term.mul(weight)),
        ImmutableMap.<String, Float>builder().putAll(componentValues).put(name, term.getFloat()).build(),
        ImmutableMap.<String, Float>builder().putAll(weights).put(name, weight.getFloat()).build());
  }

  /**
   * Refuses a value that is not a single number, naming it and its shape. Checked where a term is
   * added: a per-entry term would otherwise broadcast the total to its shape, and reading it back
   * fails only later with DJL's "The supplied Index does not produce a scalar", which names neither.
   * A single element of any rank (shape {@code (1)}) passes, as DJL reads it as a scalar.
   */
  static void requireScalar(NDArray value, String what) {
    checkNotNull(value, "%s is null", what);
    checkArgument(value.getShape().size() == 1, "%s must be a scalar, got shape %s", what, value.getShape());
  }

  /** {@return the scalar total, attached to the autograd graph of the scores (and learnable weights)} */
  public NDArray total() {
    return total;
  }

  /** {@return each component's unweighted value, by name, in the order the components were added} */
  public ImmutableMap<String, Float> componentValues() {
    return componentValues;
  }

  /** {@return the effective weight of each component: the fixed weight, or {@code sigmoid(w_k)}} */
  public ImmutableMap<String, Float> weights() {
    return weights;
  }

  @Override
  public String toString() {
    return "LossBreakdown{components=" + componentValues + ", weights=" + weights + "}";
  }
}
