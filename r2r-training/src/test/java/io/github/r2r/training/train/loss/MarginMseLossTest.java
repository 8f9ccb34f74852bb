package io.github.r2r.training.train.loss;

import static io.github.r2r.training.train.loss.LossTestSupport.allValid;
import static io.github.r2r.training.train.loss.LossTestSupport.assertMatrixEquals;
import static io.github.r2r.training.train.loss.LossTestSupport.autogradGradient;
import static io.github.r2r.training.train.loss.LossTestSupport.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class MarginMseLossTest {

  @Test
  void matchesHandComputedMarginErrorsAndIgnoresPadding() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray scores = matrix(manager, new float[] {1, 0, 2, 1e6f});
      RankingTargets targets =
          RankingTargets.builder(matrix(manager, new float[] {1, 1, 1, 0}))
              .teacherScores(matrix(manager, new float[] {3, 1, 2, Float.NaN}))
              .build();

      // Pairs (i, j): student margin, teacher margin, squared error
      //   (0, 1):  1,  2 -> 1
      //   (0, 2): -1,  1 -> 4
      //   (1, 2): -2, -1 -> 1
      // Mean: 6 / 3 = 2 (ordered pairs repeat each term, so the mean is the same).
      NDArray loss = MarginMseLoss.fromTeacherScores().compute(scores, targets);

      assertEquals(2f, loss.getFloat(), 1e-6f);
    }
  }

  @Test
  void gradientMatchesHandDerivative() {
    try (NDManager manager = NDManager.newBaseManager()) {
      RankingTargets targets =
          RankingTargets.builder(allValid(manager, 1, 2))
              .gradedLabels(matrix(manager, new float[] {2, 0}))
              .build();
      MarginMseLoss loss = MarginMseLoss.of(TargetSource.GRADED_LABELS);

      // Two ordered pairs, each with error e = (s0 - s1) - 2 = 1 - 2 = -1, loss = e^2:
      // dL/ds0 = 2e = -2, dL/ds1 = -2e = 2.
      float[][] gradient =
          autogradGradient(manager, new float[][] {{1, 0}}, s -> loss.compute(s, targets));

      assertMatrixEquals(new float[][] {{-2, 2}}, gradient, 1e-5f);
    }
  }

  @Test
  void rejectsRanksAsSource() {
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class, () -> MarginMseLoss.of(TargetSource.TEACHER_RANKS));

    assertEquals(
        "margin-MSE needs teacher scores or graded labels, not teacher ranks:"
            + " ranks carry no margin",
        error.getMessage());
  }

  @Test
  void missingTeacherScoresAreNamed() {
    try (NDManager manager = NDManager.newBaseManager()) {
      RankingTargets targets =
          RankingTargets.builder(allValid(manager, 1, 2))
              .teacherRanks(matrix(manager, new float[] {1, 2}))
              .gradedLabels(matrix(manager, new float[] {1, 0}))
              .build();

      IllegalArgumentException error =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  MarginMseLoss.fromTeacherScores()
                      .compute(matrix(manager, new float[] {0, 1}), targets));

      assertEquals(
          "margin_mse/teacher_scores needs teacher scores, but these targets carry only teacher"
              + " ranks, graded labels",
          error.getMessage());
    }
  }
}
