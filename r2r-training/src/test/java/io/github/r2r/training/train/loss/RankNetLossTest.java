package io.github.r2r.training.train.loss;

import static io.github.r2r.training.train.loss.LossTestSupport.allValid;
import static io.github.r2r.training.train.loss.LossTestSupport.assertMatrixEquals;
import static io.github.r2r.training.train.loss.LossTestSupport.autogradGradient;
import static io.github.r2r.training.train.loss.LossTestSupport.finiteDifferenceGradient;
import static io.github.r2r.training.train.loss.LossTestSupport.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RankNetLossTest {

  @Test
  void matchesHandComputedPairMeanAndIgnoresPadding() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray scores =
          matrix(manager, new float[] {2, 1, 0, -40}, new float[] {0, 0, Float.NaN, 3});
      RankingTargets targets =
          RankingTargets.builder(
                  matrix(manager, new float[] {1, 1, 1, 0}, new float[] {1, 1, 0, 0}))
              .teacherRanks(matrix(manager, new float[] {2, 1, 3, 1}, new float[] {1, 2, 1, 0}))
              .build();

      // List 1, teacher order: item 1 > item 0 > item 2. Pairs (better, worse) and terms
      // log(1 + exp(-(s_better - s_worse))):
      //   (1, 0): s diff -1 -> ln(1 + e) = 1.313262
      //   (1, 2): s diff  1 -> ln(1 + e^-1) = 0.313262
      //   (0, 2): s diff  2 -> ln(1 + e^-2) = 0.126928
      // List 2: (0, 1): s diff 0 -> ln 2 = 0.693147.
      // Mean over the 4 pairs: (1.313262 + 0.313262 + 0.126928 + 0.693147) / 4 = 0.611650.
      NDArray loss = RankNetLoss.fromTeacherRanks().compute(scores, targets);

      assertEquals(0.611650f, loss.getFloat(), 1e-5f);
    }
  }

  @Test
  void labelTiesFormNoPairAndSigmaScalesMargins() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray scores = matrix(manager, new float[] {0, 1, 0});
      RankingTargets targets =
          RankingTargets.builder(allValid(manager, 1, 3))
              .gradedLabels(matrix(manager, new float[] {1, 1, 0}))
              .build();

      // Pairs (0, 2) with s diff 0 and (1, 2) with s diff 1; (0, 1) is a tie.
      // sigma 1: (ln 2 + ln(1 + e^-1)) / 2 = (0.693147 + 0.313262) / 2 = 0.503205.
      // sigma 2: (ln 2 + ln(1 + e^-2)) / 2 = (0.693147 + 0.126928) / 2 = 0.410038.
      assertEquals(
          0.503205f, RankNetLoss.fromGradedLabels().compute(scores, targets).getFloat(), 1e-5f);
      assertEquals(
          0.410038f,
          RankNetLoss.of(TargetSource.GRADED_LABELS, 2f).compute(scores, targets).getFloat(),
          1e-5f);
    }
  }

  @Test
  void batchWithoutPairsIsExactlyZeroWithZeroGradient() {
    try (NDManager manager = NDManager.newBaseManager()) {
      RankingTargets targets =
          RankingTargets.builder(matrix(manager, new float[] {1, 1, 0}, new float[] {1, 0, 0}))
              .gradedLabels(matrix(manager, new float[] {2, 2, 0}, new float[] {3, 0, 0}))
              .build();
      RankNetLoss loss = RankNetLoss.fromGradedLabels();

      float[][] scores = {{1, -1, 0}, {4, 0, 0}};

      float value = loss.compute(manager.create(scores), targets).getFloat();
      float[][] gradient = autogradGradient(manager, scores, s -> loss.compute(s, targets));

      assertEquals(0f, value);
      assertMatrixEquals(new float[][] {{0, 0, 0}, {0, 0, 0}}, gradient, 0f);
    }
  }

  @Test
  void extremeMarginsStayFinite() {
    try (NDManager manager = NDManager.newBaseManager()) {
      RankingTargets targets =
          RankingTargets.builder(allValid(manager, 1, 2))
              .teacherRanks(matrix(manager, new float[] {1, 2}))
              .build();

      // The better item scores 200 lower: ln(1 + e^200) = 200 + ln(1 + e^-200) = 200 in float32,
      // where the naive form overflows to infinity.
      float loss =
          RankNetLoss.fromTeacherRanks()
              .compute(matrix(manager, new float[] {-100, 100}), targets)
              .getFloat();

      assertEquals(200f, loss, 1e-3f);
    }
  }

  @Test
  void autogradMatchesFiniteDifferencesIncludingTiedScores() {
    try (NDManager manager = NDManager.newBaseManager()) {
      RankingTargets targets =
          RankingTargets.builder(
                  matrix(manager, new float[] {1, 1, 1, 0}, new float[] {1, 1, 1, 1}))
              .teacherRanks(matrix(manager, new float[] {3, 1, 2, 1}, new float[] {1, 4, 2, 3}))
              .build();
      RankNetLoss loss = RankNetLoss.of(TargetSource.TEACHER_RANKS, 1.5f);
      Function<NDArray, NDArray> function = scores -> loss.compute(scores, targets);
      // Items 0 and 2 of list 2 tie: the logistic term's kink-free derivative there is sigmoid(0).
      float[][] scores = {{0.3f, -1.2f, 0.8f, 9f}, {0.5f, 0.1f, 0.5f, -0.6f}};

      float[][] autograd = autogradGradient(manager, scores, function);

      assertMatrixEquals(
          finiteDifferenceGradient(manager, scores, function, 1e-2f), autograd, 2e-3f);
      assertEquals(0f, autograd[0][3], "padded entry gets no gradient");
    }
  }

  @Test
  void missingLabelsAreNamed() {
    try (NDManager manager = NDManager.newBaseManager()) {
      RankingTargets targets = RankingTargets.builder(allValid(manager, 1, 2)).build();

      IllegalArgumentException error =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  RankNetLoss.fromGradedLabels()
                      .compute(matrix(manager, new float[] {0, 1}), targets));

      assertEquals(
          "ranknet/labels needs graded labels, but these targets carry only the validity mask",
          error.getMessage());
    }
  }
}
