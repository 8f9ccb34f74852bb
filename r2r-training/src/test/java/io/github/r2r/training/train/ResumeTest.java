package io.github.r2r.training.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.model.io.Tensor;
import io.github.r2r.training.train.loss.LossBreakdown;
import io.github.r2r.training.train.loss.RankingTargets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed mid-way and restarted on the same work directory ends with exactly the parameters of
 * an uninterrupted run, dropout included, also when the crash hit between the two renames of a
 * checkpoint save.
 */
class ResumeTest {
  private static final int STEPS = 7;
  private static final int CHECKPOINT_EVERY = 3;

  /** Steps 1-4 complete, the checkpoint holds step 3, and the process dies computing step 5. */
  private static final int CRASH_AT_STEP = 5;

  /** The weights after an uninterrupted run, computed once for all tests. */
  private static Map<String, Tensor> expected;

  @TempDir Path tmp;

  @BeforeAll
  static void runUninterrupted(@TempDir Path workDir) throws IOException {
    expected = uninterrupted(workDir);
  }

  @Test
  void twoUninterruptedRunsWithTheSameSeedEndWithIdenticalWeights() throws IOException {
    TinyTraining.assertSameWeights(expected, uninterrupted(tmp), 0f);
  }

  @Test
  void dropoutMakesTrainingScoresRandomSoIdenticalRunsNeedTheSeeding() throws IOException {
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.CROSS_ENCODER, 3)) {
      ScoringTrainer trainer = new ScoringTrainer(model, tmp);

      assertFalse(
          Arrays.equals(trainer.scores(true), trainer.scores(true)),
          "dropout is active in training");
      assertArrayEquals(trainer.scores(false), trainer.scores(false));
    }
  }

  @Test
  void aKilledRunResumesToTheParametersOfAnUninterruptedOne() throws IOException {
    Path workDir = tmp.resolve("killed");

    crash(workDir);
    Map<String, Tensor> resumed = resume(workDir);

    TinyTraining.assertSameWeights(expected, resumed, 0f);
    List<JsonObject> log = TinyTraining.log(workDir);
    JsonObject resumedEvent =
        log.stream()
            .filter(j -> j.has("event") && j.get("event").getAsString().equals("resumed"))
            .findFirst()
            .orElseThrow();
    assertEquals(CHECKPOINT_EVERY, resumedEvent.get("step").getAsInt());
    assertEquals(
        List.of(1, 2, 3, 4, 4, 5, 6, 7),
        TinyTraining.steps(workDir).stream().map(j -> j.get("step").getAsInt()).toList(),
        "step 4 ran before the crash and again after resuming from the step-3 checkpoint");
  }

  @Test
  void aCrashBetweenTheTwoRenamesOfACheckpointSaveIsRecovered() throws IOException {
    Path workDir = tmp.resolve("killed");
    crash(workDir);
    // The state a crash between "checkpoint -> checkpoint.old" and "checkpoint.tmp -> checkpoint"
    // leaves behind, with the new checkpoint only partly written.
    Files.move(workDir.resolve("checkpoint"), workDir.resolve("checkpoint.old"));
    Files.createDirectories(workDir.resolve("checkpoint.tmp"));
    Files.writeString(workDir.resolve("checkpoint.tmp/weights.safetensors"), "truncated");

    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.CROSS_ENCODER, 99)) {
      CrashingTrainer crashesAtOnce = new CrashingTrainer(model, workDir, 1);
      assertThrows(SimulatedCrash.class, crashesAtOnce::train);
    }
    assertTrue(
        Files.isRegularFile(workDir.resolve("checkpoint/state.json")),
        "resuming puts the recovered checkpoint back in place, so the next save's clean-up cannot"
            + " lose it");
    assertFalse(Files.exists(workDir.resolve("checkpoint.old")));

    TinyTraining.assertSameWeights(expected, resume(workDir), 0f);
  }

  @Test
  void aResumeUnderAnotherConfigIsRefusedNamingTheKeysAndTheWorkDirAndTheSameConfigStillResumes()
      throws IOException {
    Path workDir = tmp.resolve("killed");
    crash(workDir);
    TrainerConfig changed = config();
    changed.learningRate = 2e-2f;
    changed.steps = 2; // fewer than the checkpoint's 3: would otherwise return without training

    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.CROSS_ENCODER, 99)) {
      DistillationTrainer trainer =
          new DistillationTrainer(model, changed, TinyTraining.listNetOnRanks(), lists(), null, workDir);
      IllegalStateException e = assertThrows(IllegalStateException.class, trainer::train);

      assertTrue(e.getMessage().contains(workDir.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("steps (checkpoint 7, now 2)"), e.getMessage());
      assertTrue(e.getMessage().contains("learningRate (checkpoint 0.01, now 0.02)"), e.getMessage());
      assertFalse(e.getMessage().contains("seed"), "names only the keys that differ: " + e.getMessage());
    }
    TinyTraining.assertSameWeights(expected, resume(workDir), 0f);
  }

  @Test
  void theResumeCheckRunsWithoutAModelAndRefusesWhatTrainWouldRefuse() throws IOException {
    Path workDir = tmp.resolve("killed");
    DistillationTrainer.checkResumable(workDir, config()); // no work directory yet: a new run
    crash(workDir);
    TrainerConfig changed = config();
    changed.seed = 8;

    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> DistillationTrainer.checkResumable(workDir, changed));

    assertTrue(e.getMessage().contains(workDir.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("differing in seed (checkpoint 7, now 8)"), e.getMessage());
    DistillationTrainer.checkResumable(workDir, config());
    // What a crash between the two renames of a save leaves is checked too.
    Files.move(workDir.resolve("checkpoint"), workDir.resolve("checkpoint.old"));
    assertThrows(IllegalStateException.class, () -> DistillationTrainer.checkResumable(workDir, changed));
    assertTrue(Files.isDirectory(workDir.resolve("checkpoint.old")), "the check moves nothing");
  }

  @Test
  void anUnreadableCheckpointStateIsReportedWithItsPath() throws IOException {
    Path workDir = tmp.resolve("killed");
    crash(workDir);
    Path state = workDir.resolve("checkpoint/state.json");
    Files.writeString(state, "{\"step\": 3, \"best_sc");

    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.CROSS_ENCODER, 99)) {
      DistillationTrainer trainer =
          new DistillationTrainer(model, config(), TinyTraining.listNetOnRanks(), lists(), null, workDir);
      IOException e = assertThrows(IOException.class, trainer::train);

      assertTrue(e.getMessage().startsWith("checkpoint state " + state + " is unreadable"), e.getMessage());
    }
  }

  @Test
  void theCheckpointStateIsWrittenWholeWithTheConfigAndNoTemporaryFileRemains() throws IOException {
    Path workDir = tmp.resolve("killed");
    crash(workDir);

    JsonObject state =
        JsonParser.parseString(Files.readString(workDir.resolve("checkpoint/state.json"))).getAsJsonObject();
    assertEquals(CHECKPOINT_EVERY, state.get("step").getAsInt());
    assertEquals(JsonParser.parseString(config().toJson()), state.get("config"));
    try (Stream<Path> files = Files.list(workDir.resolve("checkpoint"))) {
      assertEquals(
          List.of("loss-weights.safetensors", "optimizer.safetensors", "state.json", "weights.safetensors"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  private static Map<String, Tensor> uninterrupted(Path workDir) throws IOException {
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.CROSS_ENCODER, 3)) {
      new DistillationTrainer(
              model, config(), TinyTraining.listNetOnRanks(), lists(), null, workDir)
          .train();
      return model.exportWeights();
    }
  }

  private static void crash(Path workDir) throws IOException {
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.CROSS_ENCODER, 3)) {
      CrashingTrainer trainer = new CrashingTrainer(model, workDir, CRASH_AT_STEP);
      assertThrows(SimulatedCrash.class, trainer::train);
    }
  }

  /**
   * A new process: fresh model (other initial weights, which the checkpoint replaces), fresh
   * trainer.
   */
  private static Map<String, Tensor> resume(Path workDir) throws IOException {
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.CROSS_ENCODER, 99)) {
      new DistillationTrainer(
              model, config(), TinyTraining.listNetOnRanks(), lists(), null, workDir)
          .train();
      return model.exportWeights();
    }
  }

  private static TrainerConfig config() {
    TrainerConfig config = TinyTraining.config(STEPS);
    config.checkpointEvery = CHECKPOINT_EVERY;
    return config;
  }

  private static List<TrainingList> lists() {
    return TinyTraining.lists(8, 1);
  }

  private static final class SimulatedCrash extends RuntimeException {
    SimulatedCrash(int call) {
      super("simulated crash while computing the loss of step call " + call);
    }
  }

  /** Exposes the scores of the first two lists, in training (dropout) or inference mode. */
  private static final class ScoringTrainer extends DistillationTrainer {
    ScoringTrainer(RankingModel model, Path workDir) {
      super(model, ResumeTest.config(), TinyTraining.listNetOnRanks(), lists(), null, workDir);
    }

    float[] scores(boolean training) {
      try (NDManager scope = model().manager().newSubManager()) {
        return scoreLists(new ParameterStore(scope, false), scope, lists().subList(0, 2), training)
            .toFloatArray();
      }
    }
  }

  /** Dies in the loss computation of its {@code crashAtCall}-th step, like a killed process. */
  private static final class CrashingTrainer extends DistillationTrainer {
    private final int crashAtCall;
    private int calls;

    CrashingTrainer(RankingModel model, Path workDir, int crashAtCall) {
      super(model, ResumeTest.config(), TinyTraining.listNetOnRanks(), lists(), null, workDir);
      this.crashAtCall = crashAtCall;
    }

    @Override
    protected LossBreakdown computeLoss(
        NDArray scores, RankingTargets targets, List<TrainingList> batch) {
      if (++calls == crashAtCall) {
        throw new SimulatedCrash(calls);
      }
      return super.computeLoss(scores, targets, batch);
    }
  }
}
