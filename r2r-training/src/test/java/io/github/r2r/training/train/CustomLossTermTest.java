package io.github.r2r.training.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A subclass adds a loss term by overriding {@code computeLoss}, without copying trainer code. */
class CustomLossTermTest {
  private static final int STEPS = 4;
  private static final float PENALTY_WEIGHT = 0.05f;

  @TempDir Path tmp;

  /** Penalises large scores: the mean of the squared scores of the real entries. */
  private static class ScorePenaltyTrainer extends DistillationTrainer {
    ScorePenaltyTrainer(RankingModel model, Path workDir) {
      this(model, TinyTraining.config(STEPS), workDir);
    }

    ScorePenaltyTrainer(RankingModel model, TrainerConfig config, Path workDir) {
      super(model, config, TinyTraining.listNetOnRanks(), TinyTraining.lists(8, 1), null, workDir);
    }

    NDArray penalty(NDArray scores, RankingTargets targets) {
      NDArray mask = targets.validityMask();
      return scores.square().mul(mask).sum().div(mask.sum());
    }

    @Override
    protected LossBreakdown computeLoss(
        NDArray scores, RankingTargets targets, List<TrainingList> batch) {
      return super.computeLoss(scores, targets, batch)
          .plus("score_l2", penalty(scores, targets), PENALTY_WEIGHT);
    }
  }

  /** The same trainer, dying in the loss computation of its {@code crashAtCall}-th step (0: never). */
  private static class CrashingPenaltyTrainer extends ScorePenaltyTrainer {
    private final int crashAtCall;
    private int calls;

    CrashingPenaltyTrainer(RankingModel model, TrainerConfig config, Path workDir, int crashAtCall) {
      super(model, config, workDir);
      this.crashAtCall = crashAtCall;
    }

    @Override
    protected final LossBreakdown computeLoss(
        NDArray scores, RankingTargets targets, List<TrainingList> batch) {
      if (++calls == crashAtCall) {
        throw new IllegalStateException("simulated crash at step call " + calls);
      }
      return lossUnlessCrashed(scores, targets, batch);
    }

    /** The loss of a step that did not crash: the penalty trainer's. */
    LossBreakdown lossUnlessCrashed(NDArray scores, RankingTargets targets, List<TrainingList> batch) {
      return super.computeLoss(scores, targets, batch);
    }
  }

  /** The configured loss alone, the same model, lists and steps as the runs with the term; its weights. */
  private static Map<String, Tensor> trainWithoutTheTerm(Path workDir) throws IOException {
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, 3)) {
      new DistillationTrainer(
              model,
              TinyTraining.config(STEPS),
              TinyTraining.listNetOnRanks(),
              TinyTraining.lists(8, 1),
              null,
              workDir)
          .train();
      return model.exportWeights();
    }
  }

  @Test
  void theExtraTermIsLoggedAndChangesTheTrainedWeights() throws IOException {
    Path plainDir = tmp.resolve("plain");
    Path customDir = tmp.resolve("custom");
    Map<String, Tensor> plain = trainWithoutTheTerm(plainDir);
    Map<String, Tensor> custom;
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, 3)) {
      new ScorePenaltyTrainer(model, customDir).train();
      custom = model.exportWeights();
    }

    List<JsonObject> plainSteps = TinyTraining.steps(plainDir);
    List<JsonObject> customSteps = TinyTraining.steps(customDir);
    assertEquals(STEPS, customSteps.size());
    for (JsonObject step : customSteps) {
      JsonObject components = step.getAsJsonObject("components");
      assertEquals(List.of("listnet/teacher_ranks", "score_l2"), List.copyOf(components.keySet()));
      double listNet = components.get("listnet/teacher_ranks").getAsDouble();
      double penalty = components.get("score_l2").getAsDouble();
      assertTrue(penalty > 0, "squared scores are positive: " + step);
      assertEquals(
          listNet + PENALTY_WEIGHT * penalty,
          step.get("loss").getAsDouble(),
          1e-5,
          "total = listnet + weight * term");
    }
    for (JsonObject step : plainSteps) {
      assertFalse(step.getAsJsonObject("components").has("score_l2"));
    }
    // Same initial weights, same batch and dropout at step 1: only the added term differs.
    assertEquals(
        plainSteps.get(0).getAsJsonObject("components").get("listnet/teacher_ranks").getAsDouble(),
        customSteps.get(0).getAsJsonObject("components").get("listnet/teacher_ranks").getAsDouble(),
        1e-6);
    assertTrue(
        TinyTraining.maxDifference(plain, custom) > 1e-4,
        "the extra term's gradient changed the weights: max difference "
            + TinyTraining.maxDifference(plain, custom));
  }

  @Test
  void theModelCardNamesTheExtraTermWithItsWeightSourcesAndSteps() throws IOException {
    Path plainDir = tmp.resolve("plain");
    Path customDir = tmp.resolve("custom");
    trainWithoutTheTerm(plainDir);
    TrainingResult result;
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, 3)) {
      result = new ScorePenaltyTrainer(model, customDir).train();
    }

    String card = Files.readString(result.modelDir().resolve(RankingModel.CARD_FILE));
    assertTrue(card.contains("`ScorePenaltyTrainer.computeLoss`"), card);
    assertTrue(card.contains("| score_l2 | 0.05 | synthetic | 4 of 4 |"), card);
    assertTrue(
        card.contains("| synthetic | 8 | `listnet/teacher_ranks(temperature=1.0)` |"),
        "the configured loss is still listed: " + card);
    assertFalse(card.contains("left out"), "the configured loss was trained in every step: " + card);
    String plainCard = Files.readString(plainDir.resolve("best").resolve(RankingModel.CARD_FILE));
    assertFalse(plainCard.contains("score_l2"), plainCard);
    assertFalse(plainCard.contains("Extra loss terms"), "no section without extra terms: " + plainCard);
  }

  /** Returns a loss of its own instead of adding to the configured one; may crash as its parent does. */
  private static final class ReplacingTrainer extends CrashingPenaltyTrainer {
    ReplacingTrainer(RankingModel model, TrainerConfig config, Path workDir, int crashAtCall) {
      super(model, config, workDir, crashAtCall);
    }

    @Override
    LossBreakdown lossUnlessCrashed(NDArray scores, RankingTargets targets, List<TrainingList> batch) {
      return LossBreakdown.single("score_l2_only", penalty(scores, targets));
    }
  }

  @Test
  void aCardSaysWhichConfiguredComponentsAnOverrideLeftOutAcrossAResume() throws IOException {
    // The card lists the configured loss; a run that never trained it must say so, steps before the
    // crash included.
    TrainerConfig config = TinyTraining.config(6);
    config.checkpointEvery = 3;
    Path workDir = tmp.resolve("replaced");
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, 3)) {
      // Steps 1-4 run, the checkpoint holds step 3, the process dies computing step 5.
      ReplacingTrainer crashing = new ReplacingTrainer(model, config, workDir, 5);
      assertThrows(IllegalStateException.class, crashing::train);
    }
    TrainingResult result;
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, 99)) {
      result = new ReplacingTrainer(model, config, workDir, 0).train();
    }

    String card = Files.readString(result.modelDir().resolve(RankingModel.CARD_FILE));
    assertTrue(card.contains("## Configured loss components left out"), card);
    assertTrue(
        card.contains("| listnet/teacher_ranks | synthetic | 6 of 6 | `ReplacingTrainer.computeLoss` |"), card);
    assertTrue(card.contains("| score_l2_only | 1.0 | synthetic | 6 of 6 |"), card);
  }

  @Test
  void aResumedRunsCardCountsTheStepsTheTermTrainedBeforeTheCrash() throws IOException {
    TrainerConfig config = TinyTraining.config(7);
    config.checkpointEvery = 3;
    Path workDir = tmp.resolve("resumed");
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, 3)) {
      // Steps 1-4 run, the checkpoint holds step 3, the process dies computing step 5.
      CrashingPenaltyTrainer crashing = new CrashingPenaltyTrainer(model, config, workDir, 5);
      assertThrows(IllegalStateException.class, crashing::train);
    }
    TrainingResult result;
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, 99)) {
      result = new ScorePenaltyTrainer(model, config, workDir).train();
    }

    String card = Files.readString(result.modelDir().resolve(RankingModel.CARD_FILE));
    assertTrue(
        card.contains("| score_l2 | 0.05 | synthetic | 7 of 7 |"),
        "steps 1-3 from the checkpoint, 4-7 after resuming: " + card);
  }

  /**
   * Resumed with the plain trainer, which adds no term: the card used to credit the term to
   * `DistillationTrainer.computeLoss`, the class that trained last, and the change went unsaid.
   */
  @Test
  void aRunResumedWithoutTheTermWarnsAndItsCardCreditsTheTrainerThatAddedIt() throws IOException {
    TrainerConfig config = TinyTraining.config(7);
    config.checkpointEvery = 3;
    Path workDir = tmp.resolve("resumed-plain");
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, 3)) {
      CrashingPenaltyTrainer crashing = new CrashingPenaltyTrainer(model, config, workDir, 5);
      assertThrows(IllegalStateException.class, crashing::train);
    }
    List<TrainingResult> results = new ArrayList<>();
    List<String> warnings = trainerWarningsDuring(() -> {
      try (RankingModel model = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, 99)) {
        results.add(new DistillationTrainer(
                model, config, TinyTraining.listNetOnRanks(), TinyTraining.lists(8, 1), null, workDir)
            .train());
      }
    });
    TrainingResult result = results.get(0);

    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(
        warnings.get(0).startsWith(
            "resumed " + workDir + " at step 4 with other extra loss terms than its checkpoint's steps ('score_l2'"
                + " was added for source 'synthetic' in 3 steps before but not now): the run now mixes two losses."),
        warnings.get(0));
    String card = Files.readString(result.modelDir().resolve(RankingModel.CARD_FILE));
    // The run before the crash trained with the crashing subclass: that is the class that added the term.
    assertTrue(card.contains("Added to the losses above by `CrashingPenaltyTrainer.computeLoss`"), card);
    assertFalse(card.contains("`DistillationTrainer.computeLoss`"), card);
    assertTrue(card.contains("| score_l2 | 0.05 | synthetic | 3 of 7 |"), card);
  }

  /** A run of the trainer code that throws IOException. */
  private interface TrainingRun {
    void run() throws IOException;
  }

  /** The WARNING (or worse) messages {@link DistillationTrainer} logs while {@code run} runs. */
  private static List<String> trainerWarningsDuring(TrainingRun run) throws IOException {
    List<String> warnings = new ArrayList<>();
    Logger trainerLogs = Logger.getLogger(DistillationTrainer.class.getName());
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
              warnings.add(record.getMessage());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    trainerLogs.addHandler(capture);
    try {
      run.run();
    } finally {
      trainerLogs.removeHandler(capture);
    }
    return warnings;
  }

  /**
   * A checkpoint written before extra terms were saved says nothing about them; resuming it with the
   * term used to warn that the run "now mixes two losses".
   */
  @Test
  void aCheckpointOlderThanTheRecordOfExtraTermsResumesWithoutAWarning() throws IOException {
    TrainerConfig config = TinyTraining.config(7);
    config.checkpointEvery = 3;
    Path workDir = tmp.resolve("resumed-old");
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, 3)) {
      CrashingPenaltyTrainer crashing = new CrashingPenaltyTrainer(model, config, workDir, 5);
      assertThrows(IllegalStateException.class, crashing::train);
    }
    Path state = workDir.resolve("checkpoint").resolve("state.json");
    JsonObject saved = com.google.gson.JsonParser.parseString(Files.readString(state)).getAsJsonObject();
    assertTrue(saved.has("extra_loss_terms"), saved.toString());
    saved.remove("extra_loss_terms");
    saved.remove("omitted_loss_components");
    Files.writeString(state, saved.toString());

    List<String> warnings = trainerWarningsDuring(() -> {
      try (RankingModel model = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, 99)) {
        new ScorePenaltyTrainer(model, config, workDir).train();
      }
    });

    assertEquals(List.of(), warnings);
  }

  @Test
  void aTermThatIsNotAScalarIsRefusedNamingItAndItsShape() throws IOException {
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, 3)) {
      DistillationTrainer trainer =
          new ScorePenaltyTrainer(model, tmp.resolve("non-scalar")) {
            @Override
            NDArray penalty(NDArray scores, RankingTargets targets) {
              return scores.square().mul(targets.validityMask()); // forgot to reduce
            }
          };

      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, trainer::train);

      // Two lists of four passages per step.
      assertTrue(
          e.getMessage().matches(
              "step 1, source 'synthetic', lists q\\d, q\\d: loss term 'score_l2' must be a scalar, got shape"
                  + " \\(2, 4\\)"),
          e.getMessage());
    }
  }

  /**
   * A term that reads labels the lists lack (they carry only ranks): the trainer cannot know what a
   * term reads, so the failure comes at a step, but it names the step, the source and the lists.
   */
  @Test
  void aTermReadingTargetsTheListsLackFailsNamingTheStepSourceAndLists() throws IOException {
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, 3)) {
      DistillationTrainer trainer =
          new ScorePenaltyTrainer(model, tmp.resolve("no-labels")) {
            @Override
            NDArray penalty(NDArray scores, RankingTargets targets) {
              return scores.mul(targets.gradedLabels().get()).sum();
            }
          };

      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, trainer::train);

      assertTrue(
          e.getMessage().matches(
              "step 1, source 'synthetic', lists q\\d, q\\d: No value present \\(this batch's targets carry"
                  + " teacher ranks\\)"),
          e.getMessage());
      assertInstanceOf(NoSuchElementException.class, e.getCause());
    }
  }
}
