package io.github.r2r.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.r2r.eval.TrecRun;
import java.nio.file.Files;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FuseRunsTest {
  private static TrecRun run(double a, double b, double c) {
    return TrecRun.builder().add("q", "a", a).add("q", "b", b).add("q", "c", c).build();
  }

  @Test
  void scoresAreStandardisedPerQueryBeforeTheyAreAdded() {
    // Run 1 prefers a > b > c on a tiny scale, run 2 prefers c > b > a on a huge one. With equal
    // weights the z-scores cancel for a and c; unscaled scores would let run 2 win outright.
    TrecRun fused = FuseRuns.fuse(List.of(run(0.3, 0.2, 0.1), run(100, 200, 300)), new double[] {1, 1});
    assertEquals(0.0, fused.ranking("q").get(0).score(), 1e-9);
    assertEquals(0.0, fused.ranking("q").get(2).score(), 1e-9);
  }

  @Test
  void theHeavierRunDecidesTheOrder() {
    TrecRun fused = FuseRuns.fuse(List.of(run(0.3, 0.2, 0.1), run(100, 200, 300)), new double[] {2, 1});
    assertEquals(List.of("a", "b", "c"), fused.rankedDocids("q"));
    // z-scores of (0.3, 0.2, 0.1) are (1.2247, 0, -1.2247); 2*1.2247 - 1.2247 = 1.2247 for a
    assertEquals(Math.sqrt(1.5), fused.ranking("q").get(0).score(), 1e-9);
  }

  @Test
  void aDocumentARunDidNotRetrieveScoresNoBetterThanItsLowestRetrievedDocument() {
    // Run B is cut off after three documents. Were a missing document given z = 0 (B's mean), d4,
    // last in A and absent from B, would beat d3, which both runs retrieved: [d1, d2, d4, d3].
    TrecRun a = TrecRun.builder().add("q", "d1", 4).add("q", "d2", 3).add("q", "d3", 2).add("q", "d4", 1).build();
    TrecRun b = TrecRun.builder().add("q", "d1", 10).add("q", "d2", 9).add("q", "d3", 8).build();
    TrecRun fused = FuseRuns.fuse(List.of(a, b), new double[] {1, 1});
    assertEquals(List.of("d1", "d2", "d3", "d4"), fused.rankedDocids("q"));
    // B's z-scores are (1.2247, 0, -1.2247); d4 gets d3's -1.2247 from B, so d3 and d4 differ only by A.
    double za3 = -1 / Math.sqrt(5);
    double za4 = -3 / Math.sqrt(5);
    assertEquals(za3 - Math.sqrt(1.5), fused.ranking("q").get(2).score(), 1e-9);
    assertEquals(za4 - Math.sqrt(1.5), fused.ranking("q").get(3).score(), 1e-9);
  }

  @Test
  void aRunThatDoesNotRankAQueryAddsNothingToIt() {
    TrecRun a = TrecRun.builder().add("q", "d1", 2).add("q", "d2", 1).add("p", "d1", 5).add("p", "d2", 1).build();
    TrecRun b = TrecRun.builder().add("q", "d1", 1).add("q", "d2", 2).build();
    TrecRun fused = FuseRuns.fuse(List.of(a, b), new double[] {1, 1});
    assertEquals(List.of("d1", "d2"), fused.rankedDocids("p"));
    assertEquals(1.0, fused.ranking("p").get(0).score(), 1e-9);
  }

  @Test
  void anInfiniteScoreIsRejectedNamingTheRunQueryAndDocument() {
    // TrecRun reads "inf" as trec_eval does; a z-score of it is undefined (inf - inf is NaN).
    TrecRun a = run(0.3, 0.2, 0.1);
    TrecRun b = TrecRun.builder().add("q", "a", 1).add("q", "b", Double.POSITIVE_INFINITY).add("q", "c", 0).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FuseRuns.fuse(List.of(a, b), List.of("a.run", "b.run"), new double[] {1, 1}));
    assertEquals("run 'b.run' gives document 'b' of query 'q' the score Infinity; fusion z-normalises each"
        + " query's scores, which needs finite ones", e.getMessage());
  }

  @Test
  void runsWithoutNamesAreNamedByTheirPosition() {
    TrecRun b = TrecRun.builder().add("q", "a", Double.NEGATIVE_INFINITY).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FuseRuns.fuse(List.of(run(0.3, 0.2, 0.1), b), new double[] {1, 1}));
    assertEquals("run #2 gives document 'a' of query 'q' the score -Infinity; fusion z-normalises each"
        + " query's scores, which needs finite ones", e.getMessage());
  }

  @Test
  void weightsThatAreNotNumbersAreNamed() {
    UsageException e = assertThrows(UsageException.class,
        () -> FuseRuns.run(new String[] {"--qrels", "q.txt", "--runs", "a.run,b.run", "--weights", "1,half"}));
    assertEquals("--weights must be comma-separated numbers, got 'half'", e.getMessage());
  }

  @Test
  void oneWeightIsNeededPerRun() {
    UsageException e = assertThrows(UsageException.class,
        () -> FuseRuns.run(new String[] {"--qrels", "q.txt", "--runs", "a.run,b.run", "--weights", "1"}));
    assertEquals("--weights gives 1 weights for 2 runs", e.getMessage());
  }

  @Test
  void runsMustNameAtLeastTwoNonEmptyRunFiles() {
    // The files do not exist: each error comes before any is read.
    for (String runs : List.of(",", "a.run,", ",a.run", "a.run,,b.run", "a.run, ")) {
      UsageException e = assertThrows(UsageException.class,
          () -> FuseRuns.run(new String[] {"--qrels", "q.txt", "--runs", runs}));
      assertEquals("--runs has an empty run path in '" + runs + "': give run files separated by commas",
          e.getMessage());
    }
    UsageException one = assertThrows(UsageException.class,
        () -> FuseRuns.run(new String[] {"--qrels", "q.txt", "--runs", "a.run"}));
    assertEquals("--runs must name at least 2 runs to fuse, got 1", one.getMessage());
  }

  @Test
  void theOutputFileIsCheckedBeforeTheRunsAreRead(@TempDir Path dir) throws IOException {
    Path out = Files.writeString(dir.resolve("missing"), "a file, not a directory").resolve("fused.run");
    UsageException e = assertThrows(UsageException.class,
        () -> FuseRuns.run(new String[] {"--qrels", "q.txt", "--runs", "a.run,b.run", "--out", out.toString()}));
    assertTrue(e.getMessage().startsWith("--out " + out + ": " + dir.resolve("missing") + " is not a directory"), e.getMessage());
  }

  @Test
  void fusesTheRunFilesAndWritesTheFusedRun(@TempDir Path dir) throws Exception {
    Path qrels = dir.resolve("qrels.txt");
    Files.writeString(qrels, "q 0 a 3\nq 0 b 0\nq 0 c 0\n");
    Path a = dir.resolve("a.run");
    Path b = dir.resolve("b.run");
    run(0.3, 0.2, 0.1).write(a, "a");
    run(100, 200, 300).write(b, "b");
    Path out = dir.resolve("fused.run");
    FuseRuns.run(new String[] {"--qrels", qrels.toString(), "--runs", a + ", " + b, "--weights", "2,1",
        "--out", out.toString()});
    assertEquals(List.of("a", "b", "c"), TrecRun.read(out).rankedDocids("q"));
  }
}
