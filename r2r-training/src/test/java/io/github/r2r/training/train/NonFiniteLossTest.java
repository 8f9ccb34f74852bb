package io.github.r2r.training.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import com.google.gson.JsonObject;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.model.io.Tensor;
import io.github.r2r.training.train.loss.LossBreakdown;
import io.github.r2r.training.train.loss.RankingTargets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A step whose loss is not finite is skipped: the weights stay as they were and the skip is
 * counted.
 */
class NonFiniteLossTest {
  private static final int POISONED_STEP = 3;

  @TempDir Path workDir;

  /** A NaN loss term. */
  private static final UnaryOperator<NDArray> NAN_LOSS = scores -> scores.getManager().create(Float.NaN);

  /** A term whose value is 0 but whose gradient is NaN: sqrt'(0) * 0. */
  private static final UnaryOperator<NDArray> NAN_GRADIENT = scores -> scores.mul(0f).sqrt().sum();

  /** Adds a poison term at one step and records the weights around that step. */
  private static final class PoisoningTrainer extends DistillationTrainer {
    private final UnaryOperator<NDArray> poison;
    private int calls;
    private Map<String, Tensor> beforePoisonedStep;
    private Map<String, Tensor> afterPoisonedStep;

    PoisoningTrainer(RankingModel model, Path workDir, UnaryOperator<NDArray> poison) {
      super(
          model,
          TinyTraining.config(5),
          TinyTraining.listNetOnRanks(),
          TinyTraining.lists(8, 1),
          null,
          workDir);
      this.poison = poison;
    }

    @Override
    protected LossBreakdown computeLoss(
        NDArray scores, RankingTargets targets, List<TrainingList> batch) {
      calls++;
      LossBreakdown loss = super.computeLoss(scores, targets, batch);
      if (calls == POISONED_STEP) {
        beforePoisonedStep = model().exportWeights();
        return loss.plus("poison", poison.apply(scores), 1f);
      }
      if (calls == POISONED_STEP + 1) {
        afterPoisonedStep = model().exportWeights();
      }
      return loss;
    }
  }

  @Test
  void aNaNLossSkipsItsStepWithoutTouchingTheWeights() throws IOException {
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, 3)) {
      PoisoningTrainer trainer = new PoisoningTrainer(model, workDir, NAN_LOSS);

      TrainingResult result = trainer.train();

      assertEquals(1, result.skippedSteps());
      TinyTraining.assertSameWeights(trainer.beforePoisonedStep, trainer.afterPoisonedStep, 0f);
      for (Tensor weight : model.exportWeights().values()) {
        for (float x : weight.toFloatArray()) {
          assertTrue(Float.isFinite(x), weight.name() + " holds a non-finite value after training");
        }
      }
      List<JsonObject> steps = TinyTraining.steps(workDir);
      assertEquals(5, steps.size());
      for (JsonObject step : steps) {
        boolean poisoned = step.get("step").getAsInt() == POISONED_STEP;
        assertEquals(!poisoned, step.get("applied").getAsBoolean(), step.toString());
        assertEquals(
            poisoned,
            step.get("loss").isJsonNull(),
            "a non-finite loss is logged as null: " + step);
      }
    }
  }

  /** Scales the loss by {@code factor} from the first step on. */
  private static final class ScaledLossTrainer extends DistillationTrainer {
    private final float factor;

    ScaledLossTrainer(RankingModel model, TrainerConfig config, float factor, Path workDir) {
      super(model, config, TinyTraining.listNetOnRanks(), TinyTraining.lists(8, 1), null, workDir);
      this.factor = factor;
    }

    @Override
    protected LossBreakdown computeLoss(
        NDArray scores, RankingTargets targets, List<TrainingList> batch) {
      LossBreakdown loss = super.computeLoss(scores, targets, batch);
      return LossBreakdown.single("scaled", loss.total().mul(factor));
    }
  }

  @Test
  void aRunThatSkipsEveryStepStopsWithAMessageSayingWhy() throws IOException {
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, 3)) {
      TrainerConfig config = TinyTraining.config(10);
      config.maxConsecutiveSkips = 3;
      ScaledLossTrainer trainer = new ScaledLossTrainer(model, config, Float.NaN, workDir);

      TrainingDivergedException e = assertThrows(TrainingDivergedException.class, trainer::train);

      assertEquals(
          "training diverged: 3 consecutive steps up to step 3 skipped (non-finite loss: component 'scaled' was"
              + " NaN in 3 of them). The last checkpoint is kept in " + workDir + ": to resume from it, fix the data"
              + " or the loss term and train again with the same config. A lower learningRate or scoreScale is"
              + " another config, which that checkpoint refuses: train with it in a new work directory",
          e.getMessage());
      List<JsonObject> steps = TinyTraining.steps(workDir);
      assertEquals(3, steps.size());
      for (JsonObject step : steps) {
        assertEquals("loss", step.get("non_finite").getAsString(), step.toString());
      }
    }
  }

  @Test
  void aHugeButFiniteGradientIsClippedNotSkipped() throws IOException {
    // A loss scaled by 1e25 gives a gradient norm above 1e20: its float32 sum of squares (above
    // 1e40) overflows, so a float32 norm would call the step non-finite and skip it.
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, 3)) {
      Map<String, Tensor> before = model.exportWeights();
      ScaledLossTrainer trainer = new ScaledLossTrainer(model, TinyTraining.config(2), 1e25f, workDir);

      TrainingResult result = trainer.train();

      assertEquals(0, result.skippedSteps());
      for (JsonObject step : TinyTraining.steps(workDir)) {
        assertTrue(step.get("applied").getAsBoolean(), step.toString());
        assertTrue(step.get("grad_norm").getAsDouble() > 1e20, step.toString());
      }
      for (Tensor weight : model.exportWeights().values()) {
        for (float x : weight.toFloatArray()) {
          assertTrue(Float.isFinite(x), weight.name() + " holds a non-finite value after training");
        }
      }
      assertTrue(
          before.entrySet().stream()
              .anyMatch(w -> !java.util.Arrays.equals(
                  w.getValue().toFloatArray(), model.exportWeights().get(w.getKey()).toFloatArray())),
          "clipped steps still move the weights");
    }
  }

  @Test
  void oneNaNGradientSkipsOnlyItsOwnStep() throws IOException {
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, 3)) {
      TrainingResult result = new PoisoningTrainer(model, workDir, NAN_GRADIENT).train();

      // The gradient buffers are reused by the next backward pass: unless the NaN is cleared,
      // every later step is non-finite too.
      assertEquals(1, result.skippedSteps());
      for (JsonObject step : TinyTraining.steps(workDir)) {
        boolean poisoned = step.get("step").getAsInt() == POISONED_STEP;
        assertEquals(!poisoned, step.get("applied").getAsBoolean(), step.toString());
        assertEquals(poisoned, step.has("non_finite"), step.toString());
        if (poisoned) {
          assertTrue(step.get("loss").getAsFloat() >= 0, "the loss itself was finite: " + step);
        }
      }
    }
  }

  /**
   * A NaN term next to a finite configured loss: the message names the term, not the loss that was
   * fine, and does not advise a learning rate the resume check would refuse.
   */
  @Test
  void aDivergedRunNamesTheNonFiniteComponentOnly() throws IOException {
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, 3)) {
      TrainerConfig config = TinyTraining.config(10);
      config.maxConsecutiveSkips = 4;
      DistillationTrainer trainer =
          new DistillationTrainer(model, config, TinyTraining.listNetOnRanks(), TinyTraining.lists(8, 1), null, workDir) {
            @Override
            protected LossBreakdown computeLoss(
                NDArray scores, RankingTargets targets, List<TrainingList> batch) {
              return super.computeLoss(scores, targets, batch).plus("nan_term", NAN_LOSS.apply(scores), 0.1f);
            }
          };

      TrainingDivergedException e = assertThrows(TrainingDivergedException.class, trainer::train);

      assertTrue(
          e.getMessage().startsWith(
              "training diverged: 4 consecutive steps up to step 4 skipped (non-finite loss: component 'nan_term'"
                  + " was NaN in 4 of them). "),
          e.getMessage());
      assertFalse(e.getMessage().contains("listnet"), e.getMessage());
      assertTrue(e.getMessage().contains("new work directory"), e.getMessage());
    }
  }
}
