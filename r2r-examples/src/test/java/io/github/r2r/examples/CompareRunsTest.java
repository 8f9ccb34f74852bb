package io.github.r2r.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.r2r.eval.EvaluationResult;
import io.github.r2r.eval.Evaluator;
import io.github.r2r.eval.Qrels;
import io.github.r2r.eval.TrecRun;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CompareRunsTest {
  private static final Qrels QRELS = Qrels.builder()
      .add("q1", "good", 3).add("q1", "bad", 0)
      .add("q2", "good", 3).add("q2", "bad", 0)
      .add("q3", "good", 3).add("q3", "bad", 0)
      .build();

  /** Ranks "good" first on the listed queries and "bad" first on the others. */
  private static EvaluationResult goodFirstOn(List<String> queries) {
    TrecRun.Builder run = TrecRun.builder();
    for (String q : List.of("q1", "q2", "q3")) {
      boolean good = queries.contains(q);
      run.add(q, "good", good ? 2 : 1).add(q, "bad", good ? 1 : 2);
    }
    return Evaluator.trecDeepLearningPassage().evaluate(QRELS, run.build());
  }

  @Test
  void countsWinsAndTestsTheDifference() {
    // nDCG@10 per query: 1 with "good" first, 1/log2(3) = 0.6309 with it second.
    CompareRuns.Comparison c = CompareRuns.compare(goodFirstOn(List.of()), goodFirstOn(List.of("q1", "q2", "q3")),
        "ndcg@10", 1, 0);
    assertEquals(3, c.wins());
    assertEquals(0, c.losses());
    assertEquals(1 - 1 / (Math.log(3) / Math.log(2)), c.significance().meanDifference(), 1e-9);
    // Three equal gains: only all-plus and all-minus are as extreme, 2 of 8 sign assignments.
    assertEquals(0.25, c.significance().pValue(), 1e-12);

    CompareRuns.Comparison mixed = CompareRuns.compare(goodFirstOn(List.of("q1")), goodFirstOn(List.of("q2")),
        "ndcg@10", 1, 0);
    assertEquals(1, mixed.wins());
    assertEquals(1, mixed.losses());
    assertEquals(1.0, mixed.significance().pValue(), 1e-12);
  }

  @Test
  void differentQueriesOrAnUnknownMeasureAreNamed() {
    EvaluationResult all = goodFirstOn(List.of("q1"));
    EvaluationResult two = Evaluator.trecDeepLearningPassage().evaluate(QRELS,
        TrecRun.builder().add("q1", "good", 1).add("q2", "good", 1).build());
    IllegalArgumentException queries =
        assertThrows(IllegalArgumentException.class, () -> CompareRuns.compare(all, two, "ndcg@10", 1, 0));
    assertTrue(queries.getMessage().contains("only in the baseline [q3]"), queries.getMessage());
    IllegalArgumentException measure =
        assertThrows(IllegalArgumentException.class, () -> CompareRuns.compare(all, all, "p@5", 1, 0));
    assertTrue(measure.getMessage().contains("got p@5"), measure.getMessage());
  }

  @Test
  void trialsAreRangeCheckedByNameBeforeTheRunsAreRead() {
    // The files do not exist: the error comes before they are read.
    for (String trials : List.of("0", "-5")) {
      UsageException e = assertThrows(UsageException.class, () -> CompareRuns.run(new String[] {
          "--qrels", "none.txt", "--baseline", "a.run", "--run", "b.run", "--trials", trials}));
      assertEquals("--trials must be positive, got " + trials, e.getMessage());
    }
  }

  @Test
  void theSeedIsALong() {
    CommandLine big = new CommandLine(new String[] {"--seed", "99999999999"}, Set.of("seed"));
    assertEquals(99_999_999_999L, CompareRuns.seed(big));
    assertEquals(1L, CompareRuns.seed(new CommandLine(new String[0], Set.of("seed"))));
    UsageException e = assertThrows(UsageException.class, () -> CompareRuns.run(new String[] {
        "--qrels", "none.txt", "--baseline", "a.run", "--run", "b.run", "--seed", "1e3"}));
    assertEquals("--seed must be an integer, got '1e3'", e.getMessage());
  }
}
