package io.github.r2r.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {
  private static final double EPS = 1e-12;

  // Judged: a=3, b=2, c=0, d=1, e=2 (e is never retrieved). x is not judged.
  private static final Map<String, Integer> JUDGMENTS =
      Map.of("a", 3, "b", 2, "c", 0, "d", 1, "e", 2);
  private static final List<String> RANKING = List.of("c", "a", "x", "b", "d");

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  @Test
  void ndcgAtThreeByHand() {
    // DCG@3: c (grade 0) at rank 1, a (3) at rank 2, x (unjudged) at rank 3 -> 3 / log2(3).
    // Ideal over all judged grades > 0, sorted 3,2,2,1 -> top 3: 3/log2(2) + 2/log2(3) + 2/log2(4).
    // 1.89279 / 5.26186 = 0.359719
    double expected = (3 / log2(3)) / (3 + 2 / log2(3) + 2 / log2(4));
    assertEquals(expected, Metrics.ndcgAt(3, RANKING, JUDGMENTS), EPS);
    assertEquals(0.359719, Metrics.ndcgAt(3, RANKING, JUDGMENTS), 1e-6);
  }

  @Test
  void ndcgAtTenUsesAllJudgedRelevantDocumentsForTheIdeal() {
    // DCG: a at rank 2, b (2) at rank 4, d (1) at rank 5.
    // Ideal: 3, 2, 2, 1 at ranks 1..4 (e counts although it was not retrieved).
    double expected =
        (3 / log2(3) + 2 / log2(5) + 1 / log2(6)) / (3 + 2 / log2(3) + 2 / log2(4) + 1 / log2(5));
    assertEquals(expected, Metrics.ndcgAt(10, RANKING, JUDGMENTS), EPS);
  }

  @Test
  void reciprocalRankByHand() {
    // Threshold 2: c (0) is not relevant, a (3) at rank 2 is -> 1/2.
    assertEquals(0.5, Metrics.reciprocalRankAt(10, RANKING, JUDGMENTS, 2), EPS);
    // Cut at 1: only c is seen -> 0.
    assertEquals(0.0, Metrics.reciprocalRankAt(1, RANKING, JUDGMENTS, 2), EPS);
    // Threshold 3: still a at rank 2.
    assertEquals(0.5, Metrics.reciprocalRankAt(10, RANKING, JUDGMENTS, 3), EPS);
  }

  @Test
  void recallByHand() {
    // Threshold 2: relevant are a, b, e (3). Top 4 = c, a, x, b holds a and b -> 2/3.
    assertEquals(2.0 / 3, Metrics.recallAt(4, RANKING, JUDGMENTS, 2), EPS);
    // Top 2 holds a -> 1/3.
    assertEquals(1.0 / 3, Metrics.recallAt(2, RANKING, JUDGMENTS, 2), EPS);
    // Threshold 1 adds d (4 relevant); top 100 holds a, b, d -> 3/4.
    assertEquals(0.75, Metrics.recallAt(100, RANKING, JUDGMENTS, 1), EPS);
  }

  @Test
  void averagePrecisionByHand() {
    // Threshold 2: a at rank 2 (precision 1/2), b at rank 4 (2/4); e not retrieved.
    // (1/2 + 2/4) / 3 relevant = 1/3.
    assertEquals(1.0 / 3, Metrics.averagePrecision(RANKING, JUDGMENTS, 2), EPS);
    // Threshold 1: a@2 (1/2), b@4 (2/4), d@5 (3/5); 4 relevant -> 1.6 / 4 = 0.4.
    assertEquals(0.4, Metrics.averagePrecision(RANKING, JUDGMENTS, 1), EPS);
  }

  @Test
  void queryWithoutRelevantDocumentsScoresZero() {
    Map<String, Integer> onlyGradeOne = Map.of("a", 1, "b", 0);
    List<String> ranking = List.of("a", "b");
    assertEquals(0.0, Metrics.reciprocalRankAt(10, ranking, onlyGradeOne, 2));
    assertEquals(0.0, Metrics.recallAt(10, ranking, onlyGradeOne, 2));
    assertEquals(0.0, Metrics.averagePrecision(ranking, onlyGradeOne, 2));
    assertEquals(0.0, Metrics.ndcgAt(10, ranking, Map.of("a", 0, "b", 0)));
  }

  @Test
  void ndcgIgnoresTheRelevanceThresholdAndUsesRawGrades() {
    // Grade 1 is below the DL threshold of 2 but still gains in nDCG: only doc is perfect.
    assertEquals(1.0, Metrics.ndcgAt(10, List.of("a"), Map.of("a", 1)), EPS);
  }

  @Test
  void rejectsBadArguments() {
    IllegalArgumentException cutoff =
        assertThrows(IllegalArgumentException.class, () -> Metrics.ndcgAt(0, RANKING, JUDGMENTS));
    assertEquals("cutoff must be at least 1, got 0", cutoff.getMessage());
    IllegalArgumentException twice =
        assertThrows(
            IllegalArgumentException.class,
            () -> Metrics.recallAt(10, List.of("a", "b", "a"), JUDGMENTS, 2));
    assertEquals("ranking lists document 'a' twice", twice.getMessage());
    IllegalArgumentException threshold =
        assertThrows(
            IllegalArgumentException.class, () -> Metrics.averagePrecision(RANKING, JUDGMENTS, 0));
    assertEquals(
        "relevance threshold must be at least 1 (grade 0 is non-relevant), got 0",
        threshold.getMessage());
  }

  @Test
  void measureNamesParseAndRoundTrip() {
    for (String name : List.of("ndcg@10", "mrr@10", "recall@100", "map", "ndcg@1")) {
      assertEquals(name, Measure.parse(name).name());
    }
    assertEquals(Measure.recallAt(100), Measure.parse("recall@100"));
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> Measure.parse("p@10"));
    assertTrue(unknown.getMessage().contains("unknown measure 'p@10'"));
    assertThrows(IllegalArgumentException.class, () -> Measure.parse("ndcg@0"));
  }

  @Test
  void measureComputesItsMetric() {
    assertEquals(1.0 / 3, Measure.map().compute(RANKING, JUDGMENTS, 2), EPS);
    assertEquals(0.5, Measure.mrrAt(10).compute(RANKING, JUDGMENTS, 2), EPS);
    assertEquals(2.0 / 3, Measure.recallAt(4).compute(RANKING, JUDGMENTS, 2), EPS);
    assertEquals(0.359719, Measure.ndcgAt(3).compute(RANKING, JUDGMENTS, 2), 1e-6);
  }
}
