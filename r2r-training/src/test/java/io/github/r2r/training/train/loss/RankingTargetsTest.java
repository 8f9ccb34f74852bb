package io.github.r2r.training.train.loss;

import static io.github.r2r.training.train.loss.LossTestSupport.allValid;
import static io.github.r2r.training.train.loss.LossTestSupport.matrix;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;

class RankingTargetsTest {

  @Test
  void convertsToFloatAndExposesOnlyWhatWasGiven() {
    try (NDManager manager = NDManager.newBaseManager()) {
      RankingTargets targets =
          RankingTargets.builder(manager.create(new int[][] {{1, 1, 0}}))
              .teacherRanks(manager.create(new int[][] {{2, 1, 0}}))
              .build();

      assertEquals(DataType.FLOAT32, targets.validityMask().getDataType());
      assertArrayEquals(new float[] {2, 1, 0}, targets.teacherRanks().orElseThrow().toFloatArray());
      assertFalse(targets.gradedLabels().isPresent());
      assertFalse(targets.teacherScores().isPresent());
    }
  }

  @Test
  void rejectsMaskThatIsNotZeroOne() {
    try (NDManager manager = NDManager.newBaseManager()) {
      RankingTargets.Builder builder = RankingTargets.builder(matrix(manager, new float[] {1, 2}));

      IllegalArgumentException error = assertThrows(IllegalArgumentException.class, builder::build);

      assertEquals("validity mask must hold only 0 and 1", error.getMessage());
    }
  }

  @Test
  void rejectsMaskThatIsNotTwoDimensional() {
    try (NDManager manager = NDManager.newBaseManager()) {
      RankingTargets.Builder builder =
          RankingTargets.builder(manager.create(new float[] {1, 1, 1}));

      IllegalArgumentException error = assertThrows(IllegalArgumentException.class, builder::build);

      assertEquals("validity mask must be [lists, listSize], got shape (3)", error.getMessage());
    }
  }

  @Test
  void rejectsTargetOfAnotherShape() {
    try (NDManager manager = NDManager.newBaseManager()) {
      RankingTargets.Builder builder =
          RankingTargets.builder(allValid(manager, 1, 3))
              .gradedLabels(matrix(manager, new float[] {1, 0}));

      IllegalArgumentException error = assertThrows(IllegalArgumentException.class, builder::build);

      assertEquals(
          "graded labels shape (1, 2) does not match the validity mask's shape (1, 3)",
          error.getMessage());
    }
  }

  @Test
  void rejectsRankBelowOneAtRealEntryButNotAtPadding() {
    try (NDManager manager = NDManager.newBaseManager()) {
      RankingTargets.builder(matrix(manager, new float[] {1, 0}))
          .teacherRanks(matrix(manager, new float[] {1, 0}))
          .build();
      RankingTargets.Builder builder =
          RankingTargets.builder(allValid(manager, 1, 2))
              .teacherRanks(matrix(manager, new float[] {1, 0}));

      IllegalArgumentException error = assertThrows(IllegalArgumentException.class, builder::build);

      assertEquals(
          "teacher ranks must be at least 1 (1 = best) at every real entry", error.getMessage());
    }
  }

  @Test
  void rejectsNonFiniteTargetAtRealEntryButNotAtPadding() {
    try (NDManager manager = NDManager.newBaseManager()) {
      RankingTargets.builder(matrix(manager, new float[] {1, 0}))
          .teacherScores(matrix(manager, new float[] {0.5f, Float.NaN}))
          .build();
      RankingTargets.Builder builder =
          RankingTargets.builder(allValid(manager, 1, 2))
              .teacherScores(matrix(manager, new float[] {0.5f, Float.POSITIVE_INFINITY}));

      IllegalArgumentException error = assertThrows(IllegalArgumentException.class, builder::build);

      assertEquals("teacher scores must be finite at every real entry", error.getMessage());
    }
  }

  @Test
  void rejectsScoresOfWrongShapeOrType() {
    try (NDManager manager = NDManager.newBaseManager()) {
      RankingTargets targets =
          RankingTargets.builder(allValid(manager, 1, 3))
              .teacherRanks(matrix(manager, new float[] {1, 2, 3}))
              .build();
      RankNetLoss loss = RankNetLoss.fromTeacherRanks();

      IllegalArgumentException shape =
          assertThrows(
              IllegalArgumentException.class,
              () -> loss.compute(matrix(manager, new float[] {0, 1}), targets));
      IllegalArgumentException type =
          assertThrows(
              IllegalArgumentException.class,
              () -> loss.compute(manager.create(new double[][] {{0, 1, 2}}), targets));

      assertEquals(
          "ranknet/teacher_ranks: scores shape (1, 2) does not match the targets' shape (1, 3)",
          shape.getMessage());
      assertEquals("ranknet/teacher_ranks needs FLOAT32 scores, got float64", type.getMessage());
    }
  }

  @Test
  void rejectsTheSameSourceTwice() {
    try (NDManager manager = NDManager.newBaseManager()) {
      RankingTargets.Builder builder =
          RankingTargets.builder(allValid(manager, 1, 2))
              .gradedLabels(matrix(manager, new float[] {1, 0}));

      IllegalArgumentException error =
          assertThrows(
              IllegalArgumentException.class,
              () -> builder.gradedLabels(matrix(manager, new float[] {0, 1})));

      assertEquals("graded labels were already set", error.getMessage());
    }
  }
}
