package io.github.r2r.training.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A step whose loss is not finite is skipped: the weights stay as they were and the skip is
 * counted.
 */
class NonFiniteLossTest {
  private static final int POISONED_STEP = 3;

  @TempDir Path workDir;

  /** Adds a NaN term at one step and records the weights each step starts from. */
  private static final class PoisoningTrainer extends DistillationTrainer {
    private int calls;
    private Map<String, Tensor> beforePoisonedStep;
    private Map<String, Tensor> afterPoisonedStep;

    PoisoningTrainer(RankingModel model, Path workDir) {
      super(
          model,
          TinyTraining.config(5),
          TinyTraining.listNetOnRanks(),
          TinyTraining.lists(8, 1),
          null,
          workDir);
    }

    @Override
    protected LossBreakdown computeLoss(
        NDArray scores, RankingTargets targets, List<TrainingList> batch) {
      calls++;
      LossBreakdown loss = super.computeLoss(scores, targets, batch);
      if (calls == POISONED_STEP) {
        beforePoisonedStep = model().exportWeights();
        return loss.plus("poison", scores.getManager().create(Float.NaN), 1f);
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
      PoisoningTrainer trainer = new PoisoningTrainer(model, workDir);

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
}
