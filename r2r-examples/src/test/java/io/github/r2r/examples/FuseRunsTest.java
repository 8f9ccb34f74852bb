package io.github.r2r.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.r2r.eval.TrecRun;
import java.util.List;
import org.junit.jupiter.api.Test;

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
}
