package io.github.r2r.training.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.training.train.loss.ListNetLoss;
import io.github.r2r.training.train.loss.RankNetLoss;
import io.github.r2r.training.train.loss.WeightedSumLoss;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the constructor checks and keeps, before any training. */
class DistillationTrainerSetupTest {
  @TempDir Path workDir;

  @Test
  void aSourceWithFewerListsThanOneStepTakesIsRejectedByName() throws IOException {
    List<TrainingList> lists = new ArrayList<>(TinyTraining.lists(6, 1));
    TrainingList single = lists.get(0);
    lists.add(new TrainingList("rare", "r1", single.query(), single.passages(), null, single.teacherRanks()));
    TrainerConfig config = TinyTraining.config(3);
    config.listsPerStep = 2;

    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.CROSS_ENCODER, 3)) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  new DistillationTrainer(
                      model,
                      config,
                      Map.of(TinyTraining.SOURCE, ListNetLoss.fromTeacherRanks(1f), "rare", ListNetLoss.fromTeacherRanks(1f)),
                      lists,
                      null,
                      workDir));

      assertEquals(
          "source 'rare' has 1 lists, fewer than listsPerStep=2: none of its lists would ever be trained on",
          e.getMessage());
    }
  }

  @Test
  void theTrainerKeepsItsOwnCopyOfTheConfig() throws IOException {
    TrainerConfig config = TinyTraining.config(3);
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.CROSS_ENCODER, 3)) {
      DistillationTrainer trainer =
          new DistillationTrainer(
              model, config, TinyTraining.listNetOnRanks(), TinyTraining.lists(4, 1), null, workDir);

      config.listsPerStep = 0; // would make the step schedule loop forever if the trainer read it
      config.steps = 1000;
      trainer.config().steps = 2000;

      assertEquals(2, trainer.config().listsPerStep);
      assertEquals(3, trainer.config().steps);
      assertEquals(3, trainer.train().bestStep(), "the run trains the steps of the config it was given");
    }
  }

  /**
   * One list of the source lacks the labels its loss needs (what {@code LabelWithTeacher} writes: no
   * scores): refused before any step, not at whichever step first draws that list, which a resume
   * would draw again.
   */
  @Test
  void aSourceWhoseListsLackTheTargetsItsLossNeedsIsRefusedBeforeAnyStep() throws IOException {
    List<TrainingList> lists = new ArrayList<>();
    for (TrainingList list : TinyTraining.lists(6, 1)) {
      float[] labels = list.qid().equals("q3") || list.qid().equals("q5") ? null : new float[] {2, 3, 0, 1};
      lists.add(new TrainingList(list.source(), list.qid(), list.query(), list.passages(), labels, list.teacherRanks()));
    }
    WeightedSumLoss loss =
        WeightedSumLoss.builder()
            .add(ListNetLoss.fromTeacherRanks(1f), 0.5f)
            .add(RankNetLoss.fromGradedLabels(), 0.5f)
            .buildFixed();

    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.CROSS_ENCODER, 3)) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  new DistillationTrainer(
                      model, TinyTraining.config(3), Map.of(TinyTraining.SOURCE, loss), lists, null, workDir));

      assertEquals(
          "source 'synthetic': its loss needs graded labels (0.5 * listnet/teacher_ranks(temperature=1.0) + 0.5 *"
              + " ranknet/labels(sigma=1.0)), but the list of q3 has none (2 of its 6 lists lack them): give"
              + " every list of the source what its loss needs, or split the lists into sources with their own"
              + " losses",
          e.getMessage());
    }
  }

  @Test
  void listsCarryNoTeacherScoresSoALossOnThemIsRefused() throws IOException {
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.CROSS_ENCODER, 3)) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  new DistillationTrainer(
                      model,
                      TinyTraining.config(3),
                      Map.of(TinyTraining.SOURCE, io.github.r2r.training.train.loss.MarginMseLoss.fromTeacherScores()),
                      TinyTraining.lists(4, 1),
                      null,
                      workDir));

      assertTrue(e.getMessage().startsWith("source 'synthetic': its loss needs teacher scores"), e.getMessage());
    }
  }
}
