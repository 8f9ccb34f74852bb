package io.github.r2r.training.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.r2r.model.io.Tensor;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** AdamW against values worked out by hand (betas 0.9 / 0.999, epsilon 1e-8, weight decay 0.01). */
class AdamWTest {
  private NDManager manager;

  @BeforeEach
  void openManager() {
    manager = NDManager.newBaseManager("PyTorch");
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  private NDArray array(float... values) {
    return manager.create(values);
  }

  @Test
  void twoDecayedUpdatesMatchTheHandComputedValues() {
    AdamW adam = AdamW.defaults(0.01f);
    NDArray weight = array(1f, -2f);

    // Step 1, g = [0.5, 0.1], lr 0.1: bias correction makes m̂ = g and v̂ = g², so the step is
    // lr * g / |g| = [0.1, 0.1]; decay first scales w by 1 - 0.1 * 0.01 = 0.999:
    // [0.999 - 0.1, -1.998 - 0.1].
    adam.beginStep();
    adam.update("w", weight, array(0.5f, 0.1f), 0.1f, true);
    assertArrayEquals(new float[] {0.899f, -2.098f}, weight.toFloatArray(), 1e-6f);

    // Step 2, g = [-0.5, 0.3], lr 0.05: m = 0.9 m + 0.1 g = [-0.005, 0.039];
    // v = 0.999 v + 0.001 g² = [0.00049975, 0.00009999]; m̂ = m / 0.19 = [-0.0263158, 0.2052632];
    // sqrt(v̂) = sqrt(v / 0.001999) = [0.5, 0.2236515]; step = 0.05 m̂ / sqrt(v̂) = [-0.0026316,
    // 0.0458890];
    // w = [0.899, -2.098] * (1 - 0.05 * 0.01) - step = [0.8985505 + 0.0026316, -2.0969510 -
    // 0.0458890].
    adam.beginStep();
    adam.update("w", weight, array(-0.5f, 0.3f), 0.05f, true);
    assertArrayEquals(new float[] {0.9011821f, -2.1428400f}, weight.toFloatArray(), 1e-6f);
    assertEquals(2, adam.steps());
  }

  @Test
  void withoutDecayOnlyTheAdamStepApplies() {
    AdamW adam = AdamW.defaults(0.5f);
    NDArray bias = array(1f, -2f);

    adam.beginStep();
    adam.update("b", bias, array(0.5f, -0.1f), 0.1f, false);

    // lr * g / |g| = [0.1, -0.1], no shrinking however large the decay.
    assertArrayEquals(new float[] {0.9f, -1.9f}, bias.toFloatArray(), 1e-6f);
  }

  @Test
  void restoredMomentsContinueExactlyLikeTheOriginalOptimizer() {
    AdamW original = AdamW.defaults(0.01f);
    NDArray weight = array(1f, -2f, 0.5f);
    original.beginStep();
    original.update("w", weight, array(0.5f, 0.1f, -0.3f), 0.1f, true);

    Map<String, Tensor> state = original.exportState();
    AdamW restored = AdamW.defaults(0.01f);
    restored.importState(state, original.steps(), manager);
    NDArray copy = array(weight.toFloatArray());
    original.beginStep();
    original.update("w", weight, array(-0.5f, 0.3f, 0.2f), 0.05f, true);
    restored.beginStep();
    restored.update("w", copy, array(-0.5f, 0.3f, 0.2f), 0.05f, true);

    assertArrayEquals(weight.toFloatArray(), copy.toFloatArray(), 0f);
    assertEquals(Set.of("m.w", "v.w"), state.keySet());
  }

  @Test
  void updateBeforeBeginStepAndBadHyperParametersAreRejected() {
    AdamW adam = AdamW.defaults(0f);
    IllegalArgumentException early =
        assertThrows(
            IllegalArgumentException.class,
            () -> adam.update("w", array(1f), array(1f), 0.1f, true));
    assertEquals("beginStep() must be called before update()", early.getMessage());

    assertEquals(
        "beta1 must be in [0, 1), got 1.0",
        assertThrows(IllegalArgumentException.class, () -> new AdamW(1f, 0.999f, 1e-8f, 0f))
            .getMessage());
    assertEquals(
        "epsilon must be positive, got 0.0",
        assertThrows(IllegalArgumentException.class, () -> new AdamW(0.9f, 0.999f, 0f, 0f))
            .getMessage());
    assertEquals(
        "weightDecay must be non-negative, got -0.1",
        assertThrows(IllegalArgumentException.class, () -> AdamW.defaults(-0.1f)).getMessage());
  }

  @Test
  void importingAnUnexpectedTensorNamesIt() {
    AdamW adam = AdamW.defaults(0f);
    Map<String, Tensor> state =
        Map.of("x.w", Tensor.ofFloats("x.w", new long[] {1}, new float[] {0f}));

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> adam.importState(state, 1, manager));
    assertEquals("optimizer state has an unexpected tensor 'x.w'", e.getMessage());
  }
}
