package io.github.r2r.training.train.loss;

import static io.github.r2r.training.train.loss.LossTestSupport.allValid;
import static io.github.r2r.training.train.loss.LossTestSupport.assertMatrixEquals;
import static io.github.r2r.training.train.loss.LossTestSupport.autogradGradient;
import static io.github.r2r.training.train.loss.LossTestSupport.finiteDifferenceGradient;
import static io.github.r2r.training.train.loss.LossTestSupport.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.FloatRange;
import org.junit.jupiter.api.Test;

class ListNetLossTest {

  @Test
  void matchesHandComputedDivergenceAndIgnoresPadding() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // The 4th column is padding holding values that would dominate both softmaxes if counted.
      NDArray scores = matrix(manager, new float[] {2, 1, 0, 50}, new float[] {0, 0, Float.NaN, 7});
      RankingTargets targets =
          RankingTargets.builder(
                  matrix(manager, new float[] {1, 1, 1, 0}, new float[] {1, 1, 0, 0}))
              .teacherRanks(matrix(manager, new float[] {2, 1, 3, 1}, new float[] {1, 2, 0, -5}))
              .build();

      // List 1: p = softmax(-2, -1, -3) = (e^-1, 1, e^-2) / 1.503214
      //          = (0.244728, 0.665241, 0.090031)
      // and q = softmax(2, 1, 0) = (0.665241, 0.244728, 0.090031); log p_i - log q_i = (-1, +1, 0),
      // so KL = -0.244728 + 0.665241 = 0.420513.
      // List 2: p = softmax(-1, -2) = (0.731059, 0.268941), q = (0.5, 0.5);
      // KL = 0.731059 * ln(1.462117) + 0.268941 * ln(0.537883)
      //    = 0.731059 * 0.379885 - 0.268941 * 0.620115 = 0.277718 - 0.166775 = 0.110943.
      // Mean over the two lists: (0.420513 + 0.110943) / 2 = 0.265728.
      NDArray loss = ListNetLoss.fromTeacherRanks(1f).compute(scores, targets);

      assertTrue(loss.isScalar(), "loss is a scalar");
      assertEquals(0.265728f, loss.getFloat(), 1e-5f);
    }
  }

  @Test
  void gradedLabelsWithTemperatureMatchHandComputation() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray scores = matrix(manager, new float[] {0, 0, 0});
      RankingTargets targets =
          RankingTargets.builder(allValid(manager, 1, 3))
              .gradedLabels(matrix(manager, new float[] {3, 0, 1}))
              .build();

      // p = softmax((3, 0, 1) / 0.5) = softmax(6, 0, 2) = (403.4288, 1, 7.389056) / 411.8178
      //   = (0.979631, 0.002428, 0.017942); ln p = (-0.020578, -6.020578, -4.020578).
      // Uniform q: KL = ln 3 - H(p), H(p) = 0.020159 + 0.014620 + 0.072138 = 0.106917,
      // KL = 1.098612 - 0.106917 = 0.991695.
      NDArray loss = ListNetLoss.fromGradedLabels(0.5f).compute(scores, targets);

      assertEquals(0.991695f, loss.getFloat(), 1e-5f);
    }
  }

  @Test
  void listsWithFewerThanTwoRealEntriesContributeNothing() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray scores = matrix(manager, new float[] {2, 1, 0}, new float[] {5, 3, 1});
      RankingTargets targets =
          RankingTargets.builder(matrix(manager, new float[] {1, 1, 1}, new float[] {1, 0, 0}))
              .teacherRanks(matrix(manager, new float[] {2, 1, 3}, new float[] {1, 1, 1}))
              .build();

      // Only list 1 carries an ordering; its KL is 0.420513 (see the first test).
      assertEquals(
          0.420513f, ListNetLoss.fromTeacherRanks(1f).compute(scores, targets).getFloat(), 1e-5f);
    }
  }

  @Test
  void fullyPaddedBatchIsExactlyZero() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray scores = matrix(manager, new float[] {Float.NaN, 3});
      RankingTargets targets =
          RankingTargets.builder(matrix(manager, new float[] {0, 0}))
              .teacherRanks(matrix(manager, new float[] {1, 2}))
              .build();

      assertEquals(0f, ListNetLoss.fromTeacherRanks(1f).compute(scores, targets).getFloat());
    }
  }

  @Test
  void autogradMatchesFiniteDifferencesAndPaddingGetsNoGradient() {
    try (NDManager manager = NDManager.newBaseManager()) {
      RankingTargets targets =
          RankingTargets.builder(
                  matrix(manager, new float[] {1, 1, 1, 0}, new float[] {1, 1, 1, 1}))
              .teacherRanks(matrix(manager, new float[] {3, 1, 2, 1}, new float[] {1, 4, 2, 3}))
              .build();
      ListNetLoss loss = ListNetLoss.fromTeacherRanks(0.7f);
      Function<NDArray, NDArray> function = scores -> loss.compute(scores, targets);
      float[][] scores = {{0.3f, -1.2f, 0.8f, 9f}, {1.5f, 0.1f, -0.4f, 0.6f}};

      float[][] autograd = autogradGradient(manager, scores, function);

      assertMatrixEquals(
          finiteDifferenceGradient(manager, scores, function, 1e-2f), autograd, 2e-3f);
      assertEquals(0f, autograd[0][3], "padded entry gets no gradient");
    }
  }

  @Test
  void missingTeacherRanksAreNamed() {
    try (NDManager manager = NDManager.newBaseManager()) {
      RankingTargets targets =
          RankingTargets.builder(allValid(manager, 1, 2))
              .gradedLabels(matrix(manager, new float[] {1, 0}))
              .build();

      IllegalArgumentException error =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  ListNetLoss.fromTeacherRanks(1f)
                      .compute(matrix(manager, new float[] {0, 1}), targets));

      assertEquals(
          "listnet/teacher_ranks needs teacher ranks, but these targets carry only graded labels",
          error.getMessage());
    }
  }

  @Test
  void rejectsNonPositiveTemperature() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> ListNetLoss.fromTeacherRanks(0f));

    assertEquals("temperature must be positive and finite, got 0.0", error.getMessage());
  }

  @Property(tries = 25)
  void divergenceIsNonNegativeAndZeroWhenScoresReproduceTheTarget(
      @ForAll("rankedLists") RankedList list,
      @ForAll @FloatRange(min = 0.2f, max = 3f) float temperature,
      @ForAll @FloatRange(min = -10f, max = 10f) float shift) {
    int n = list.ranks().length;
    float[] reproducing = new float[n];
    for (int i = 0; i < n; i++) {
      // Softmax ignores a common shift, so these scores give exactly the target distribution.
      reproducing[i] = -list.ranks()[i] / temperature + shift;
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      RankingTargets targets =
          RankingTargets.builder(allValid(manager, 1, n))
              .teacherRanks(matrix(manager, list.ranks()))
              .build();
      ListNetLoss loss = ListNetLoss.fromTeacherRanks(temperature);

      float arbitrary = loss.compute(matrix(manager, list.scores()), targets).getFloat();
      float perfect = loss.compute(matrix(manager, reproducing), targets).getFloat();

      assertTrue(arbitrary >= -1e-6f, "KL must be non-negative, got " + arbitrary);
      assertEquals(0f, perfect, 1e-5f);
    }
  }

  @Provide
  Arbitrary<RankedList> rankedLists() {
    return Arbitraries.integers()
        .between(2, 6)
        .flatMap(
            n -> {
              List<Integer> ranks = new ArrayList<>();
              for (int rank = 1; rank <= n; rank++) {
                ranks.add(rank);
              }
              Arbitrary<List<Float>> scores =
                  Arbitraries.floats().between(-8f, 8f).list().ofSize(n);
              return Combinators.combine(Arbitraries.shuffle(ranks), scores).as(RankedList::of);
            });
  }

  /** One list: a permutation of ranks 1..n and arbitrary student scores. */
  record RankedList(float[] ranks, float[] scores) {
    static RankedList of(List<Integer> ranks, List<Float> scores) {
      float[] rankArray = new float[ranks.size()];
      float[] scoreArray = new float[scores.size()];
      for (int i = 0; i < rankArray.length; i++) {
        rankArray[i] = ranks.get(i);
        scoreArray[i] = scores.get(i);
      }
      return new RankedList(rankArray, scoreArray);
    }
  }
}
