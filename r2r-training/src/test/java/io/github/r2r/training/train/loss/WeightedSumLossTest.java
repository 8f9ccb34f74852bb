package io.github.r2r.training.train.loss;

import static io.github.r2r.training.train.loss.LossTestSupport.allValid;
import static io.github.r2r.training.train.loss.LossTestSupport.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.google.common.collect.ImmutableList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeightedSumLossTest {
  // For scores (2, 1, 0) and teacher ranks (2, 1, 3), by hand (see ListNetLossTest and
  // RankNetLossTest): ListNet (temperature 1) = 0.420513,
  // RankNet = (1.313262 + 0.313262 + 0.126928) / 3 = 0.584484.
  private static final float LISTNET = 0.420513f;
  private static final float RANKNET = 0.584484f;

  private static RankingTargets targets(NDManager manager) {
    return RankingTargets.builder(allValid(manager, 1, 3))
        .teacherRanks(matrix(manager, new float[] {2, 1, 3}))
        .build();
  }

  @Test
  void fixedWeightsSumComponentsAndReportThem() {
    try (NDManager manager = NDManager.newBaseManager()) {
      WeightedSumLoss loss =
          WeightedSumLoss.builder()
              .add(ListNetLoss.fromTeacherRanks(1f), 0.5f)
              .add(RankNetLoss.fromTeacherRanks(), 2f)
              .buildFixed();
      NDArray scores = matrix(manager, new float[] {2, 1, 0});

      LossBreakdown breakdown = loss.computeWithBreakdown(scores, targets(manager));

      // 0.5 * 0.420513 + 2 * 0.584484 = 0.210257 + 1.168968 = 1.379225.
      assertEquals(1.379225f, loss.compute(scores, targets(manager)).getFloat(), 1e-5f);
      assertEquals(1.379225f, breakdown.total().getFloat(), 1e-5f);
      assertEquals(
          List.of("listnet/teacher_ranks", "ranknet/teacher_ranks"),
          ImmutableList.copyOf(breakdown.componentValues().keySet()));
      assertEquals(LISTNET, breakdown.componentValues().get("listnet/teacher_ranks"), 1e-5f);
      assertEquals(RANKNET, breakdown.componentValues().get("ranknet/teacher_ranks"), 1e-5f);
      assertEquals(0.5f, breakdown.weights().get("listnet/teacher_ranks"));
      assertEquals(2f, breakdown.weights().get("ranknet/teacher_ranks"));
      assertTrue(loss.learnableParameters().isEmpty(), "fixed weights expose no parameters");
    }
  }

  @Test
  void learnableWeightsReceiveSigmoidDerivativeTimesComponent() {
    try (NDManager parameters = NDManager.newBaseManager();
        NDManager step = NDManager.newBaseManager()) {
      WeightedSumLoss loss =
          WeightedSumLoss.builder()
              .add(ListNetLoss.fromTeacherRanks(1f), 0.5f)
              .add(RankNetLoss.fromTeacherRanks(), 0.5f)
              .buildLearnable(parameters);
      NDArray scores = matrix(step, new float[] {2, 1, 0});
      scores.setRequiresGradient(true);

      LossBreakdown breakdown;
      try (GradientCollector collector = step.getEngine().newGradientCollector()) {
        breakdown = loss.computeWithBreakdown(scores, targets(step));
        collector.backward(breakdown.total());
      }

      // Initial weight 0.5 means w = logit(0.5) = 0, so total = 0.5 * (0.420513 + 0.584484)
      // = 0.502499 and d total / d w_k = sigmoid(0) * (1 - sigmoid(0)) * L_k = 0.25 * L_k:
      // 0.25 * 0.420513 = 0.105128 and 0.25 * 0.584484 = 0.146121.
      List<NDArray> weights = loss.learnableParameters();
      assertEquals(0.502499f, breakdown.total().getFloat(), 1e-5f);
      assertEquals(0.5f, breakdown.weights().get("listnet/teacher_ranks"), 1e-6f);
      assertEquals(0.105128f, weights.get(0).getGradient().getFloat(), 1e-5f);
      assertEquals(0.146121f, weights.get(1).getGradient().getFloat(), 1e-5f);
      assertEquals("loss_weight/ranknet/teacher_ranks", weights.get(1).getName());
      assertTrue(scores.getGradient().abs().sum().getFloat() > 0, "scores receive gradient too");
    }
  }

  @Test
  void learnableWeightsKeepPerStepArraysOffTheParameterManager() {
    try (NDManager parameters = NDManager.newBaseManager();
        NDManager step = NDManager.newBaseManager()) {
      WeightedSumLoss loss =
          WeightedSumLoss.builder()
              .add(ListNetLoss.fromTeacherRanks(1f), 0.3f)
              .add(RankNetLoss.fromTeacherRanks(), 0.7f)
              .buildLearnable(parameters);
      int before = parameters.getManagedArrays().size();

      loss.computeWithBreakdown(matrix(step, new float[] {2, 1, 0}), targets(step));
      loss.compute(matrix(step, new float[] {2, 1, 0}), targets(step));

      assertEquals(before, parameters.getManagedArrays().size());
    }
  }

  @Test
  void rejectsDuplicateComponentNames() {
    WeightedSumLoss.Builder builder =
        WeightedSumLoss.builder().add(RankNetLoss.fromTeacherRanks(), 1);

    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () -> builder.add(RankNetLoss.of(TargetSource.TEACHER_RANKS, 2f), 1));

    assertEquals(
        "component names must be unique, ranknet/teacher_ranks was added twice",
        error.getMessage());
  }

  @Test
  void rejectsInitialLearnableWeightOutsideOpenUnitInterval() {
    try (NDManager parameters = NDManager.newBaseManager()) {
      WeightedSumLoss.Builder builder =
          WeightedSumLoss.builder().add(ListNetLoss.fromTeacherRanks(1f), 1f);

      IllegalArgumentException error =
          assertThrows(IllegalArgumentException.class, () -> builder.buildLearnable(parameters));

      assertEquals(
          "initial learnable weight of listnet/teacher_ranks must lie strictly between 0 and 1,"
              + " got 1.0",
          error.getMessage());
    }
  }

  @Test
  void rejectsNegativeFixedWeightAndEmptySum() {
    IllegalArgumentException negative =
        assertThrows(
            IllegalArgumentException.class,
            () -> WeightedSumLoss.builder().add(RankNetLoss.fromTeacherRanks(), -1f).buildFixed());
    IllegalStateException empty =
        assertThrows(IllegalStateException.class, () -> WeightedSumLoss.builder().buildFixed());

    assertEquals(
        "fixed weight of ranknet/teacher_ranks must be non-negative, got -1.0",
        negative.getMessage());
    assertEquals("a weighted sum needs at least one component", empty.getMessage());
  }

  @Test
  void aComponentThatIsNotAScalarIsRefusedNamingItAndItsShape() {
    RankingLoss perEntry =
        new RankingLoss() {
          @Override
          public NDArray compute(NDArray scores, RankingTargets targets) {
            return scores.square(); // forgot to reduce: one value per entry
          }

          @Override
          public String name() {
            return "per_entry";
          }
        };
    WeightedSumLoss loss =
        WeightedSumLoss.builder()
            .add(ListNetLoss.fromTeacherRanks(1f), 1f)
            .add(perEntry, 0.5f)
            .buildFixed();
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray scores = matrix(manager, new float[] {2, 1, 0});

      IllegalArgumentException error =
          assertThrows(
              IllegalArgumentException.class,
              () -> loss.computeWithBreakdown(scores, targets(manager)));

      assertEquals("loss term 'per_entry' must be a scalar, got shape (1, 3)", error.getMessage());
    }
  }
}
