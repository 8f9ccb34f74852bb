package io.github.r2r.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
  private static final double EPS = 1e-12;

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  // q1: a=3, b=1, c=0, e=2 (e not retrieved). q2 is judged but not in the run.
  // q3 has no document of grade >= 2. q4 is in the run but not judged.
  private static final Qrels QRELS =
      Qrels.builder()
          .add("q1", "a", 3)
          .add("q1", "b", 1)
          .add("q1", "c", 0)
          .add("q1", "e", 2)
          .add("q2", "x", 2)
          .add("q3", "y", 1)
          .add("q3", "z", 0)
          .build();

  private static TrecRun run() {
    Map<String, List<String>> ranked = new LinkedHashMap<>();
    ranked.put("q1", List.of("a", "c", "b", "d"));
    ranked.put("q3", List.of("z", "y"));
    ranked.put("q4", List.of("w"));
    return TrecRun.fromRankedLists(ranked);
  }

  @Test
  void trecDeepLearningSetupByHand() {
    EvaluationResult result = Evaluator.trecDeepLearningPassage().evaluate(QRELS, run());

    // Only queries in both run and qrels count: q1 and q3 (q3 with 0 on the binary measures).
    assertEquals(List.of("q1", "q3"), List.copyOf(result.queryIds()));
    assertEquals(2, result.queryCount());
    assertEquals(List.of("ndcg@10", "mrr@10", "recall@100", "map"), result.measureNames());

    // q1 nDCG@10: DCG = 3/log2(2) + 1/log2(4) (a at 1, b at 3); ideal 3, 2, 1 -> 0.735007.
    double ndcgQ1 = (3 + 1 / log2(4)) / (3 + 2 / log2(3) + 1 / log2(4));
    // q3 nDCG@10: y (grade 1) at rank 2 -> 1/log2(3); ideal 1 at rank 1 -> 0.630930.
    double ndcgQ3 = 1 / log2(3);
    Map<String, Double> q1 = result.perQuery("q1");
    assertEquals(ndcgQ1, q1.get("ndcg@10"), EPS);
    assertEquals(1.0, q1.get("mrr@10"), EPS); // a (3) at rank 1
    assertEquals(0.5, q1.get("recall@100"), EPS); // a of {a, e}
    assertEquals(0.5, q1.get("map"), EPS); // precision 1 at a, e missing: 1 / 2
    assertEquals(
        Map.of("ndcg@10", ndcgQ3, "mrr@10", 0.0, "recall@100", 0.0, "map", 0.0),
        result.perQuery("q3"));

    assertEquals((ndcgQ1 + ndcgQ3) / 2, result.mean("ndcg@10"), EPS);
    assertEquals(0.682968, result.mean("ndcg@10"), 1e-6);
    assertEquals(0.5, result.mean("mrr@10"), EPS);
    assertEquals(0.25, result.mean("recall@100"), EPS);
    assertEquals(0.25, result.mean("map"), EPS);
  }

  @Test
  void thresholdOneMakesGradeOneRelevant() {
    EvaluationResult result = Evaluator.of(1, List.of(Measure.mrrAt(10))).evaluate(QRELS, run());
    // q1: a at rank 1 -> 1; q3: y (grade 1) at rank 2 -> 1/2.
    assertEquals(0.75, result.mean("mrr@10"), EPS);
  }

  @Test
  void jsonHasMeansCountAndPerQueryValues() {
    EvaluationResult result = Evaluator.trecDeepLearningPassage().evaluate(QRELS, run());
    JsonObject json = JsonParser.parseString(result.toJson()).getAsJsonObject();
    assertEquals(0.5, json.get("mrr@10").getAsDouble(), EPS);
    assertEquals(0.25, json.get("recall@100").getAsDouble(), EPS);
    assertEquals(0.25, json.get("map").getAsDouble(), EPS);
    assertEquals(2, json.get("num_q").getAsInt());
    assertEquals(
        0.0, json.getAsJsonObject("per_query").getAsJsonObject("q3").get("map").getAsDouble(), EPS);
  }

  @Test
  void badRequestsAreRejectedWithTheReason() {
    TrecRun unrelated = TrecRun.fromRankedLists(Map.of("other", List.of("a")));
    IllegalArgumentException disjoint =
        assertThrows(
            IllegalArgumentException.class,
            () -> Evaluator.trecDeepLearningPassage().evaluate(QRELS, unrelated));
    assertEquals(
        "the run (1 queries) and the qrels (3 queries) share no query id", disjoint.getMessage());

    EvaluationResult result = Evaluator.trecDeepLearningPassage().evaluate(QRELS, run());
    assertEquals(
        "measure 'p@5' was not evaluated; have [ndcg@10, mrr@10, recall@100, map]",
        assertThrows(IllegalArgumentException.class, () -> result.mean("p@5")).getMessage());
    assertEquals(
        "query 'q2' was not evaluated",
        assertThrows(IllegalArgumentException.class, () -> result.perQuery("q2")).getMessage());
    assertEquals(
        "measures must be distinct, got [map, map]",
        assertThrows(
                IllegalArgumentException.class,
                () -> Evaluator.of(2, List.of(Measure.map(), Measure.map())))
            .getMessage());
  }
}
