package io.github.r2r.training.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.github.r2r.training.train.loss.ListNetLoss;
import io.github.r2r.training.train.loss.LossBreakdown;
import io.github.r2r.training.train.loss.RankNetLoss;
import io.github.r2r.training.train.loss.RankingLoss;
import io.github.r2r.training.train.loss.RankingTargets;
import io.github.r2r.training.train.loss.TargetSource;
import io.github.r2r.training.train.loss.WeightedSumLoss;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LossSpecTest {
  private NDManager manager;

  @BeforeEach
  void openManager() {
    manager = NDManager.newBaseManager("PyTorch");
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  @Test
  void aSingleTermIsThatLossWithItsArgument() {
    ListNetLoss ranks =
        assertInstanceOf(ListNetLoss.class, LossSpec.parse("listnet-ranks", manager));
    assertEquals(TargetSource.TEACHER_RANKS, ranks.source());
    assertEquals(1f, ranks.temperature());

    ListNetLoss labels =
        assertInstanceOf(ListNetLoss.class, LossSpec.parse(" listnet-labels:0.5 ", manager));
    assertEquals(TargetSource.GRADED_LABELS, labels.source());
    assertEquals(0.5f, labels.temperature());

    RankNetLoss rankNet =
        assertInstanceOf(RankNetLoss.class, LossSpec.parse("ranknet-labels", manager));
    assertEquals(TargetSource.GRADED_LABELS, rankNet.source());
    assertEquals(1f, rankNet.sigma());
  }

  @ParameterizedTest
  @CsvSource({
    "listnet-ranks, listnet/teacher_ranks(temperature=1.0)",
    "ranknet-ranks, ranknet/teacher_ranks(sigma=1.0)",
    "margin-mse-labels, margin_mse/labels",
    "bce-labels, pointwise_bce/labels(maxGrade=3.0)",
    "bce-labels:1, pointwise_bce/labels(maxGrade=1.0)",
  })
  void eachTermNameBuildsItsLoss(String spec, String described) {
    assertEquals(described, LossSpec.parse(spec, manager).toString());
  }

  @Test
  void termsJoinedWithPlusFormAFixedWeightedSum() {
    WeightedSumLoss sum =
        assertInstanceOf(
            WeightedSumLoss.class,
            LossSpec.parse("0.7*listnet-ranks + 0.3 * ranknet-ranks", manager));
    assertFalse(sum.hasLearnableWeights());
    assertEquals(
        Map.of("listnet/teacher_ranks", 0.7f, "ranknet/teacher_ranks", 0.3f), weightsOf(sum));

    WeightedSumLoss unweighted =
        assertInstanceOf(
            WeightedSumLoss.class, LossSpec.parse("listnet-ranks+ranknet-ranks", manager));
    assertEquals(
        Map.of("listnet/teacher_ranks", 1f, "ranknet/teacher_ranks", 1f), weightsOf(unweighted));
  }

  @Test
  void aLearnablePrefixMakesSigmoidWeightsStartingAtOneHalfOrTheGivenWeight() {
    WeightedSumLoss sum =
        assertInstanceOf(
            WeightedSumLoss.class,
            LossSpec.parse("learnable: 0.2*listnet-ranks + ranknet-ranks", manager));
    assertTrue(sum.hasLearnableWeights());
    assertEquals(2, sum.learnableParameters().size());
    Map<String, Float> weights = weightsOf(sum);
    assertEquals(0.2f, weights.get("listnet/teacher_ranks"), 1e-6f);
    assertEquals(0.5f, weights.get("ranknet/teacher_ranks"), 1e-6f);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "listnet-rank | unknown loss term 'listnet-rank' in loss spec 'listnet-rank'",
        "x*listnet-ranks | 'x' is not a number in loss spec 'x*listnet-ranks'",
        "listnet-labels:warm | 'warm' is not a number in loss spec 'listnet-labels:warm'",
        "listnet-ranks:0 | temperature must be positive and finite, got 0.0 in loss spec 'listnet-ranks:0'",
        "0.5*listnet-ranks:-1 + ranknet-ranks | temperature must be positive and finite, got -1.0 in loss spec"
            + " '0.5*listnet-ranks:-1 + ranknet-ranks'",
        "bce-labels:0 | maxGrade must be positive and finite, got 0.0 in loss spec 'bce-labels:0'",
        "ranknet-ranks:2 | loss term 'ranknet-ranks' takes no argument, got '2' in loss spec"
            + " 'ranknet-ranks:2'",
        "listnet-ranks:1:2 | loss term 'listnet-ranks:1:2' has more than one argument in loss spec"
            + " 'listnet-ranks:1:2'",
        "listnet-ranks + | an empty term in loss spec 'listnet-ranks +'",
        "'' | an empty term in loss spec ''",
        "-1*listnet-ranks + ranknet-ranks | fixed weight of listnet/teacher_ranks must be"
            + " non-negative, got -1.0 in loss spec '-1*listnet-ranks + ranknet-ranks'",
        "learnable: 1*listnet-ranks | initial learnable weight of listnet/teacher_ranks must lie"
            + " strictly between 0 and 1, got 1.0 in loss spec 'learnable: 1*listnet-ranks'",
        "listnet-ranks + listnet-ranks | component names must be unique, listnet/teacher_ranks was"
            + " added twice in loss spec 'listnet-ranks + listnet-ranks'",
        "listnet-ranks:1 + listnet-ranks | component names must be unique, listnet/teacher_ranks was"
            + " added twice in loss spec 'listnet-ranks:1 + listnet-ranks'",
      })
  void aBadSpecIsRejectedWithAMessageNamingTheProblemAndTheSpec(String spec, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LossSpec.parse(spec, manager));
    assertEquals(message, e.getMessage());
  }

  @Test
  void oneTargetAtTwoTemperaturesIsTwoTerms() {
    WeightedSumLoss sum =
        assertInstanceOf(
            WeightedSumLoss.class, LossSpec.parse("listnet-ranks:1 + 0.5*listnet-ranks:0.5", manager));

    assertEquals(
        Map.of("listnet/teacher_ranks", 1f, "listnet/teacher_ranks:0.5", 0.5f), weightsOf(sum));
    assertEquals(
        "1.0 * listnet/teacher_ranks(temperature=1.0) + 0.5 * listnet/teacher_ranks(temperature=0.5)",
        sum.toString());
  }

  @Test
  void theLabelsAtTwoGradeScalesAreTwoTerms() {
    WeightedSumLoss sum =
        assertInstanceOf(WeightedSumLoss.class, LossSpec.parse("bce-labels + 0.5*bce-labels:1", manager));

    // Parsed at all: with one name for both scales it failed as "added twice".
    assertEquals("1.0 * pointwise_bce/labels(maxGrade=3.0) + 0.5 * pointwise_bce/labels(maxGrade=1.0)", sum.toString());
  }

  /** The effective weight of each component, read from an evaluation on a one-list batch. */
  private Map<String, Float> weightsOf(RankingLoss loss) {
    RankingTargets targets =
        RankingTargets.builder(manager.create(new float[][] {{1, 1, 1}}))
            .teacherRanks(manager.create(new float[][] {{1, 2, 3}}))
            .build();
    LossBreakdown breakdown =
        ((WeightedSumLoss) loss)
            .computeWithBreakdown(manager.create(new float[][] {{0.3f, 0.2f, 0.1f}}), targets);
    return breakdown.weights();
  }

  @Test
  void aFixedSumWhoseWeightsAreAllZeroIsRefused() {
    IllegalArgumentException one =
        assertThrows(IllegalArgumentException.class, () -> LossSpec.parse("0*listnet-ranks", manager));
    IllegalArgumentException two =
        assertThrows(
            IllegalArgumentException.class, () -> LossSpec.parse("0*listnet-ranks + 0*ranknet-ranks", manager));

    assertEquals(
        "every fixed weight is 0, so the sum would train nothing in loss spec '0*listnet-ranks'", one.getMessage());
    assertTrue(two.getMessage().startsWith("every fixed weight is 0"), two.getMessage());
  }

  @Test
  void nullArgumentsAreRefusedByName() {
    IllegalArgumentException noSpec =
        assertThrows(IllegalArgumentException.class, () -> LossSpec.parse(null, manager));
    IllegalArgumentException noManager =
        assertThrows(IllegalArgumentException.class, () -> LossSpec.parse("learnable:listnet-ranks", null));

    assertEquals("loss spec is null", noSpec.getMessage());
    assertEquals(
        "learnable weights need a manager to live on, got null in loss spec 'learnable:listnet-ranks'",
        noManager.getMessage());
  }
}
