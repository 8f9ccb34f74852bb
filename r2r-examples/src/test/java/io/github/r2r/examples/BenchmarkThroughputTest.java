package io.github.r2r.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.r2r.model.BertConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  private static String usageError(String... args) {
    return assertThrows(UsageException.class, () -> BenchmarkThroughput.run(args)).getMessage();
  }

  @Test
  void countsAreRangeCheckedByNameBeforeAnyWork() {
    // "nowhere" does not exist: each error comes before the benchmark is read.
    for (List<String> bad : List.of(
        List.of("--queries", "0", "--queries must be positive, got 0"),
        List.of("--queries", "-1", "--queries must be positive, got -1"),
        List.of("--batch-size", "0", "--batch-size must be positive, got 0"),
        List.of("--repetitions", "0", "--repetitions must be positive, got 0"),
        List.of("--synthetic-docs", "-1", "--synthetic-docs must be positive, got -1"),
        List.of("--synthetic-queries", "0", "--synthetic-queries must be positive, got 0"),
        List.of("--threads", "0", "--threads must be positive, got 0"),
        List.of("--workers", "0", "--workers must be positive, got 0"),
        List.of("--tune-batch-sizes", "0", "--tune-batch-sizes must be positive integers, got '0'"),
        List.of("--tune-batch-sizes", "8,-4", "--tune-batch-sizes must be positive integers, got '8,-4'"))) {
      assertEquals(bad.get(2), usageError("--data", "nowhere", bad.get(0), bad.get(1)));
    }
    assertEquals("--workers must divide --threads (4), got 3",
        usageError("--data", "nowhere", "--threads", "4", "--workers", "3"));
  }

  @Test
  void theJsonFileIsCheckedBeforeAnyWork(@TempDir Path dir) throws IOException {
    Path json = Files.writeString(dir.resolve("missing"), "a file, not a directory").resolve("perf.json");
    String message = usageError("--data", "nowhere", "--json", json.toString());
    assertTrue(message.startsWith("--json " + json + ": " + dir.resolve("missing") + " is not a directory"), message);
  }
}
