package io.github.r2r.training.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A short run on a learnable task lowers the loss on a fixed batch, for both scoring modes. */
class TrainingLowersLossTest {
  @TempDir Path workDir;

  @ParameterizedTest
  @EnumSource(ScoringMode.class)
  void twentyStepsLowerTheListNetLossOnTheTrainingLists(ScoringMode scoring) throws Exception {
    List<TrainingList> lists = TinyTraining.lists(8, 1);
    try (RankingModel model = TinyTraining.tinyModel(scoring, 3)) {
      DistillationTrainer trainer =
          new DistillationTrainer(
              model, TinyTraining.config(20), TinyTraining.listNetOnRanks(), lists, null, workDir);
      double before = meanListNetLoss(trainer, lists);

      TrainingResult result = trainer.train();

      double after = meanListNetLoss(trainer, lists);
      assertTrue(
          after < 0.6 * before,
          String.format(
              "%s: loss on the training lists went from %.4f to only %.4f",
              scoring, before, after));
      assertEquals(0, result.skippedSteps());
      List<JsonObject> steps = TinyTraining.steps(workDir);
      assertEquals(20, steps.size(), "one log line per step");
      assertTrue(
          meanLoss(steps.subList(15, 20)) < meanLoss(steps.subList(0, 5)),
          "the logged loss of the last five steps is below that of the first five");
    }
  }

  /**
   * KL divergence from the teacher's top-one distribution ({@code softmax(-rank)}) to the student's
   * ({@code softmax(score)}), averaged over lists; computed here without the library's losses.
   */
  private static double meanListNetLoss(DistillationTrainer trainer, List<TrainingList> lists) {
    double sum = 0;
    for (TrainingList list : lists) {
      float[] scores = trainer.score(list.query(), list.passages());
      double[] target = softmax(list.teacherRanks(), -1);
      double[] student = softmax(scores);
      for (int i = 0; i < scores.length; i++) {
        sum += target[i] * (Math.log(target[i]) - Math.log(student[i]));
      }
    }
    return sum / lists.size();
  }

  private static double[] softmax(int[] ranks, int sign) {
    float[] logits = new float[ranks.length];
    for (int i = 0; i < ranks.length; i++) {
      logits[i] = sign * ranks[i];
    }
    return softmax(logits);
  }

  private static double[] softmax(float[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (float x : logits) {
      max = Math.max(max, x);
    }
    double[] out = new double[logits.length];
    double total = 0;
    for (int i = 0; i < logits.length; i++) {
      out[i] = Math.exp(logits[i] - max);
      total += out[i];
    }
    for (int i = 0; i < out.length; i++) {
      out[i] /= total;
    }
    return out;
  }

  private static double meanLoss(List<JsonObject> steps) {
    return steps.stream().mapToDouble(s -> s.get("loss").getAsDouble()).average().orElseThrow();
  }
}
