package io.github.r2r.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class MetricsProperties {
  private static final double EPS = 1e-12;

  /** A ranking of distinct documents and judgments over part of them plus unretrieved ones. */
  record Case(List<String> ranking, Map<String, Integer> judgments) {}

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<Integer> retrieved = Arbitraries.integers().between(0, 40);
    Arbitrary<Integer> extraJudged = Arbitraries.integers().between(0, 10);
    Arbitrary<Long> seeds = Arbitraries.longs();
    return Combinators.combine(retrieved, extraJudged, seeds)
        .as(
            (n, extra, seed) -> {
              Random random = new Random(seed);
              List<String> ranking = new ArrayList<>();
              for (int i = 0; i < n; i++) {
                ranking.add("d" + i);
              }
              Collections.shuffle(ranking, random);
              Map<String, Integer> judgments = new HashMap<>();
              for (String docid : ranking) {
                if (random.nextBoolean()) {
                  judgments.put(docid, random.nextInt(4));
                }
              }
              for (int i = 0; i < extra; i++) {
                judgments.put("unretrieved" + i, random.nextInt(4));
              }
              return new Case(ranking, judgments);
            });
  }

  @Property(tries = 300)
  void everyMeasureLiesInTheUnitInterval(
      @ForAll("cases") Case c,
      @ForAll @IntRange(min = 1, max = 50) int k,
      @ForAll @IntRange(min = 1, max = 3) int threshold) {
    for (double value :
        new double[] {
          Metrics.ndcgAt(k, c.ranking(), c.judgments()),
          Metrics.reciprocalRankAt(k, c.ranking(), c.judgments(), threshold),
          Metrics.recallAt(k, c.ranking(), c.judgments(), threshold),
          Metrics.averagePrecision(c.ranking(), c.judgments(), threshold)
        }) {
      assertTrue(value >= 0 && value <= 1 + EPS, "value out of [0,1]: " + value);
    }
  }

  @Property(tries = 300)
  void theIdealOrderScoresOne(
      @ForAll("cases") Case c,
      @ForAll @IntRange(min = 1, max = 50) int k,
      @ForAll @IntRange(min = 1, max = 3) int threshold) {
    // Retrieve every judged document, highest grade first, then the unjudged ones.
    List<String> ideal = new ArrayList<>(c.judgments().keySet());
    ideal.sort(Comparator.comparing((String d) -> c.judgments().get(d)).reversed());
    c.ranking().stream().filter(d -> !c.judgments().containsKey(d)).forEach(ideal::add);

    long positive = c.judgments().values().stream().filter(g -> g > 0).count();
    long relevant = c.judgments().values().stream().filter(g -> g >= threshold).count();
    assertEquals(positive > 0 ? 1.0 : 0.0, Metrics.ndcgAt(k, ideal, c.judgments()), 1e-9);
    assertEquals(
        relevant > 0 ? 1.0 : 0.0,
        Metrics.reciprocalRankAt(k, ideal, c.judgments(), threshold),
        EPS);
    assertEquals(
        relevant > 0 ? 1.0 : 0.0, Metrics.averagePrecision(ideal, c.judgments(), threshold), 1e-9);
    if (k >= relevant) {
      assertEquals(
          relevant > 0 ? 1.0 : 0.0, Metrics.recallAt(k, ideal, c.judgments(), threshold), EPS);
    }
  }

  @Property(tries = 300)
  void reorderingBelowTheCutoffChangesNothingAtTheCutoff(
      @ForAll("cases") Case c,
      @ForAll @IntRange(min = 1, max = 50) int k,
      @ForAll @IntRange(min = 1, max = 3) int threshold,
      @ForAll long seed) {
    List<String> reordered = new ArrayList<>(c.ranking());
    if (reordered.size() > k) {
      Collections.shuffle(reordered.subList(k, reordered.size()), new Random(seed));
    }
    Map<String, Integer> j = c.judgments();
    assertEquals(Metrics.ndcgAt(k, c.ranking(), j), Metrics.ndcgAt(k, reordered, j), EPS);
    assertEquals(
        Metrics.reciprocalRankAt(k, c.ranking(), j, threshold),
        Metrics.reciprocalRankAt(k, reordered, j, threshold),
        EPS);
    assertEquals(
        Metrics.recallAt(k, c.ranking(), j, threshold),
        Metrics.recallAt(k, reordered, j, threshold),
        EPS);
  }

  @Property(tries = 300)
  void permutingUnjudgedDocumentsAmongThemselvesChangesNothing(
      @ForAll("cases") Case c,
      @ForAll @IntRange(min = 1, max = 50) int k,
      @ForAll @IntRange(min = 1, max = 3) int threshold,
      @ForAll long seed) {
    Map<String, Integer> j = c.judgments();
    List<Integer> unjudgedSlots = new ArrayList<>();
    for (int i = 0; i < c.ranking().size(); i++) {
      if (!j.containsKey(c.ranking().get(i))) {
        unjudgedSlots.add(i);
      }
    }
    List<String> unjudged = new ArrayList<>();
    unjudgedSlots.forEach(i -> unjudged.add(c.ranking().get(i)));
    Collections.shuffle(unjudged, new Random(seed));
    List<String> permuted = new ArrayList<>(c.ranking());
    for (int i = 0; i < unjudgedSlots.size(); i++) {
      permuted.set(unjudgedSlots.get(i), unjudged.get(i));
    }
    assertEquals(Metrics.ndcgAt(k, c.ranking(), j), Metrics.ndcgAt(k, permuted, j), EPS);
    assertEquals(
        Metrics.reciprocalRankAt(k, c.ranking(), j, threshold),
        Metrics.reciprocalRankAt(k, permuted, j, threshold),
        EPS);
    assertEquals(
        Metrics.recallAt(k, c.ranking(), j, threshold),
        Metrics.recallAt(k, permuted, j, threshold),
        EPS);
    assertEquals(
        Metrics.averagePrecision(c.ranking(), j, threshold),
        Metrics.averagePrecision(permuted, j, threshold),
        EPS);
  }

  @Property(tries = 200)
  void trecRunOrderDoesNotDependOnInsertionOrder(@ForAll("cases") Case c, @ForAll long seed) {
    // Few distinct scores, so many ties must be broken by document id.
    Random random = new Random(seed);
    Map<String, Double> scores = new HashMap<>();
    c.ranking().forEach(d -> scores.put(d, (double) random.nextInt(3)));
    List<String> shuffled = new ArrayList<>(c.ranking());
    Collections.shuffle(shuffled, random);
    TrecRun.Builder first = TrecRun.builder();
    c.ranking().forEach(d -> first.add("q", d, scores.get(d)));
    TrecRun.Builder second = TrecRun.builder();
    shuffled.forEach(d -> second.add("q", d, scores.get(d)));
    List<String> ranked = first.build().rankedDocids("q");
    assertEquals(ranked, second.build().rankedDocids("q"));
    for (int i = 1; i < ranked.size(); i++) {
      double before = scores.get(ranked.get(i - 1));
      double after = scores.get(ranked.get(i));
      assertTrue(
          before > after || (before == after && ranked.get(i - 1).compareTo(ranked.get(i)) > 0),
          "not in trec_eval order at " + i + ": " + ranked);
    }
  }
}
