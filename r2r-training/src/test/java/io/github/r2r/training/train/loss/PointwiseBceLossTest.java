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

class PointwiseBceLossTest {

  @Test
  void scaledGradesMatchHandComputationAndIgnorePadding() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray scores = matrix(manager, new float[] {0, 2, -1, Float.NaN});
      RankingTargets targets =
          RankingTargets.builder(matrix(manager, new float[] {1, 1, 1, 0}))
              .gradedLabels(matrix(manager, new float[] {3, 0, 1, 99}))
              .build();

      // y = label / 3 = (1, 0, 1/3); term = max(x, 0) - x * y + ln(1 + e^-|x|):
      //   x =  0, y = 1:   0 - 0     + ln 2          = 0.693147
      //   x =  2, y = 0:   2 - 0     + ln(1 + e^-2)  = 2.126928
      //   x = -1, y = 1/3: 0 + 1/3   + ln(1 + e^-1)  = 0.333333 + 0.313262 = 0.646595
      // Mean: (0.693147 + 2.126928 + 0.646595) / 3 = 3.466670 / 3 = 1.155557.
      NDArray loss = PointwiseBceLoss.scaledByMaxGrade(3f).compute(scores, targets);

      assertEquals(1.155557f, loss.getFloat(), 1e-5f);
    }
  }

  @Test
  void binaryThresholdMatchesHandComputation() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray scores = matrix(manager, new float[] {0, 2, -1});
      RankingTargets targets =
          RankingTargets.builder(allValid(manager, 1, 3))
              .gradedLabels(matrix(manager, new float[] {3, 0, 1}))
              .build();

      // Threshold 2: y = (1, 0, 0); the third term becomes 0 - 0 + ln(1 + e^-1) = 0.313262.
      // Mean: (0.693147 + 2.126928 + 0.313262) / 3 = 3.133337 / 3 = 1.044446.
      NDArray loss = PointwiseBceLoss.binaryAtThreshold(2f).compute(scores, targets);

      assertEquals(1.044446f, loss.getFloat(), 1e-5f);
    }
  }

  @Test
  void extremeLogitsStayFinite() {
    try (NDManager manager = NDManager.newBaseManager()) {
      RankingTargets targets =
          RankingTargets.builder(allValid(manager, 1, 2))
              .gradedLabels(matrix(manager, new float[] {0, 1}))
              .build();

      // x = 200, y = 0:  200 - 0 + ln(1 + e^-200) = 200;
      // x = -200, y = 1: 0 + 200 + ln(1 + e^-200) = 200.
      // The naive -ln(sigmoid(-200)) is ln 0 = infinity in float32.
      float loss =
          PointwiseBceLoss.scaledByMaxGrade(1f)
              .compute(matrix(manager, new float[] {200, -200}), targets)
              .getFloat();

      assertEquals(200f, loss, 1e-3f);
    }
  }

  @Test
  void gradientIsSigmoidMinusTargetOverCount() {
    try (NDManager manager = NDManager.newBaseManager()) {
      RankingTargets targets =
          RankingTargets.builder(matrix(manager, new float[] {1, 1, 0}))
              .gradedLabels(matrix(manager, new float[] {1, 0, 1}))
              .build();
      PointwiseBceLoss loss = PointwiseBceLoss.scaledByMaxGrade(1f);

      // dL/dx_i = (sigmoid(x_i) - y_i) / 2 over the two real entries:
      //   x = 0, y = 1: (0.5 - 1) / 2 = -0.25; x = 0, y = 0: (0.5 - 0) / 2 = 0.25; padded: 0.
      float[][] gradient =
          autogradGradient(manager, new float[][] {{0, 0, 5}}, s -> loss.compute(s, targets));

      assertMatrixEquals(new float[][] {{-0.25f, 0.25f, 0}}, gradient, 1e-6f);
    }
  }

  @Test
  void rejectsLabelsAboveMaxGrade() {
    try (NDManager manager = NDManager.newBaseManager()) {
      RankingTargets targets =
          RankingTargets.builder(allValid(manager, 1, 2))
              .gradedLabels(matrix(manager, new float[] {4, 0}))
              .build();

      IllegalArgumentException error =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  PointwiseBceLoss.scaledByMaxGrade(3f)
                      .compute(matrix(manager, new float[] {0, 0}), targets));

      assertEquals(
          "pointwise_bce/labels: graded labels must lie in [0, 3.0], got values in [0.0, 4.0]",
          error.getMessage());
    }
  }

  @Test
  void missingLabelsAreNamed() {
    try (NDManager manager = NDManager.newBaseManager()) {
      RankingTargets targets =
          RankingTargets.builder(allValid(manager, 1, 2))
              .teacherScores(matrix(manager, new float[] {0.3f, 0.1f}))
              .build();

      IllegalArgumentException error =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  PointwiseBceLoss.binaryAtThreshold(1f)
                      .compute(matrix(manager, new float[] {0, 0}), targets));

      assertEquals(
          "pointwise_bce/labels>=1.0 needs graded labels, but these targets carry only teacher scores",
          error.getMessage());
    }
  }
}
