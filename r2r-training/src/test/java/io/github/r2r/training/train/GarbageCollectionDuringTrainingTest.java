package io.github.r2r.training.train;

import ai.djl.ndarray.NDArray;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.model.io.Tensor;
import io.github.r2r.training.train.loss.LossBreakdown;
import io.github.r2r.training.train.loss.RankNetLoss;
import io.github.r2r.training.train.loss.RankingLoss;
import io.github.r2r.training.train.loss.RankingTargets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A garbage collection between a step's forward and backward passes changes nothing: every tensor
 * autograd keeps for the backward pass lives in memory libtorch owns. Before {@code ScalarOps}, the
 * constants of {@code x.mul(c)}, {@code x.div(c)} and {@code x.maximum(c)} lived in Java memory that
 * a collection freed, and these runs ended with other weights (gradient norms up to 3e31).
 */
class GarbageCollectionDuringTrainingTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(ScoringMode.class)
  void listNetTrainingIsUnchangedByACollectionBeforeEachBackwardPass(ScoringMode scoring) throws IOException {
    Map<String, RankingLoss> losses = TinyTraining.listNetOnRanks();
    TinyTraining.assertSameWeights(
        train(scoring, losses, tmp.resolve("plain"), false), train(scoring, losses, tmp.resolve("gc"), true), 0f);
  }

  @ParameterizedTest
  @EnumSource(ScoringMode.class)
  void rankNetTrainingIsUnchangedByACollectionBeforeEachBackwardPass(ScoringMode scoring) throws IOException {
    Map<String, RankingLoss> losses = Map.of(TinyTraining.SOURCE, RankNetLoss.fromTeacherRanks());
    TinyTraining.assertSameWeights(
        train(scoring, losses, tmp.resolve("plain"), false), train(scoring, losses, tmp.resolve("gc"), true), 0f);
  }

  private static Map<String, Tensor> train(
      ScoringMode scoring, Map<String, RankingLoss> losses, Path workDir, boolean collect) throws IOException {
    try (RankingModel model = TinyTraining.tinyModel(scoring, 3)) {
      new DistillationTrainer(model, TinyTraining.config(5), losses, TinyTraining.lists(8, 1), null, workDir) {
        @Override
        protected LossBreakdown computeLoss(NDArray scores, RankingTargets targets, List<TrainingList> batch) {
          LossBreakdown loss = super.computeLoss(scores, targets, batch);
          if (collect) {
            TinyTraining.collectGarbageAndReuseFreedMemory();
          }
          return loss;
        }
      }.train();
      return model.exportWeights();
    }
  }
}
