package io.github.r2r;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.r2r.model.Precision;
import io.github.r2r.model.PretrainedEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Native memory is released per batch: many calls must not grow the process.
 *
 * <p>Runs in its own surefire execution (see r2r-core/pom.xml) with a fixed, pre-touched heap, so
 * that resident-set growth measures native memory (tensors, malloc arenas) rather than the Java
 * heap paging in. Two runs on this machine grew by 19 and 57 MB (malloc arenas move by a few tens of
 * MB); a leak of one batch's activations per call would add several hundred MB.
 *
 * <p>The growth is measured at the lowest sample of the second half, not the last one: a leak raises
 * every later sample, while the allocator also takes memory and gives it back in swings of a few
 * hundred MB (one float32 run in session 13: 1372, 1601, 1788, 1798, 1792, 1381, 1386, 1379, 1771 MB,
 * back to the start twice; eight other runs stayed within 60 MB).
 */
class RerankerSoakTest {
  private static final int CALLS = 2_000;
  private static final int SAMPLE_EVERY = 250;
  private static final long ALLOWED_GROWTH_KB = 150 * 1024;

  /** Both inference paths: DJL ops (float32) and the TorchScript module with its IValues (bfloat16). */
  @ParameterizedTest
  @EnumSource(Precision.class)
  void twoThousandCallsKeepResidentMemoryFlat(Precision precision) throws IOException {
    try (Reranker reranker =
        Reranker.builder().model(PretrainedEncoder.ALL_MINILM_L6_V2).precision(precision).build()) {
      List<String> docs = RerankerTest.DOCS;
      for (int i = 0; i < 200; i++) { // warm-up: allocator pools and JIT reach steady state
        reranker.rerank("warm up query " + i, docs);
      }
      List<Long> samples = new ArrayList<>();
      samples.add(residentKb());
      for (int i = 1; i <= CALLS; i++) {
        reranker.rerank("soak query number " + i, docs);
        if (i % SAMPLE_EVERY == 0) {
          samples.add(residentKb());
        }
      }
      long before = samples.get(0);
      long after =
          samples.subList(samples.size() / 2, samples.size()).stream().mapToLong(Long::longValue).min().orElseThrow();
      System.out.printf(
          "soak (%s): RSS every %d calls (MB): %s%n",
          precision,
          SAMPLE_EVERY, samples.stream().map(kb -> kb / 1024).toList());
      assertTrue(
          after - before < ALLOWED_GROWTH_KB,
          "resident memory grew by " + (after - before) / 1024 + " MB over " + CALLS
              + " calls (lowest sample of the second half against the first)");
    }
  }

  /**
   * A build that fails after the model loaded (here: reasons asked of a model no decoder is shipped
   * for) must release the model. Each leaked all-MiniLM load keeps about 90 MB of weights, so twelve
   * failed builds would leak about a gigabyte.
   */
  @Test
  void failedBuildsReleaseTheLoadedModel() throws IOException {
    Reranker.Builder failing =
        Reranker.builder().model(PretrainedEncoder.ALL_MINILM_L6_V2).explain(EnumSet.of(Explain.POINTWISE), 3);
    for (int i = 0; i < 3; i++) { // warm-up: the engine starts, allocator pools fill
      assertThrows(IllegalArgumentException.class, failing::build);
    }
    List<Long> samples = new ArrayList<>();
    samples.add(residentKb());
    for (int i = 1; i <= 12; i++) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, failing::build);
      assertTrue(e.getMessage().contains("decoder"), "unexpected failure: " + e.getMessage());
      if (i % 3 == 0) {
        samples.add(residentKb());
      }
    }
    System.out.printf("failed builds: RSS every 3 builds (MB): %s%n", samples.stream().map(kb -> kb / 1024).toList());
    long growth = samples.get(samples.size() - 1) - samples.get(0);
    assertTrue(
        growth < ALLOWED_GROWTH_KB,
        "resident memory grew by " + growth / 1024 + " MB over 12 failed builds: the loaded model is not released");
  }

  private static long residentKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
