package io.github.r2r.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.r2r.model.BertConfig;
import org.junit.jupiter.api.Test;

class BenchmarkThroughputTest {
  @Test
  void encoderFlopsOfA100TokenSequenceThroughTwelveMiniLmLayers() {
    // Per layer: 2·100·384·(4·384 + 2·1536) = 353,894,400 for the products with weight matrices,
    // 4·100²·384 = 15,360,000 for attention; 12 layers.
    assertEquals(4_431_052_800.0, BenchmarkThroughput.encoderFlops(BertConfig.miniLm(12), 100), 1e-3);
  }

  @Test
  void medianOfOddAndEvenCounts() {
    assertEquals(2.0, BenchmarkThroughput.median(new double[] {3, 1, 2}));
    assertEquals(2.5, BenchmarkThroughput.median(new double[] {4, 1, 3, 2}));
  }

  @Test
  void bestWindowScoresEachDocument() {
    ScoringInputs inputs = new ScoringInputs(null, java.util.List.of(), new int[] {0, 0, 1});
    float[] scores = inputs.maxPerDocument(new float[] {0.2f, 0.7f, -0.1f}, 2);
    assertEquals(0.7f, scores[0]);
    assertEquals(-0.1f, scores[1]);
  }

  @Test
  void dotsOfQueryWithEachWindow() {
    float[] dots = ScoringInputs.dots(new float[] {1, 2}, new float[][] {{3, 4}, {-1, 0.5f}});
    assertEquals(11f, dots[0]);
    assertEquals(0f, dots[1]);
  }

  @Test
  void precisionIsRejectedWithoutBatchSizeTuningWhichAloneReadsIt() {
    UsageException e = assertThrows(UsageException.class,
        () -> BenchmarkThroughput.run(new String[] {"--precision", "bf16", "--data", "nowhere"}));
    assertEquals("--precision applies only with --tune-batch-sizes (the comparison runs every precision)",
        e.getMessage());
  }

  @Test
  void theTunedPrecisionAndBatchSizesAreCheckedBeforeAnyWork() {
    UsageException precision = assertThrows(UsageException.class, () -> BenchmarkThroughput.run(
        new String[] {"--tune-batch-sizes", "8,16", "--precision", "fp16", "--data", "nowhere"}));
    assertEquals("--precision must be fp32, bf16, int8 or auto, got fp16", precision.getMessage());
    UsageException sizes = assertThrows(UsageException.class,
        () -> BenchmarkThroughput.run(new String[] {"--tune-batch-sizes", "8,big", "--data", "nowhere"}));
    assertEquals("--tune-batch-sizes must be comma-separated integers, got 'big'", sizes.getMessage());
  }
}
