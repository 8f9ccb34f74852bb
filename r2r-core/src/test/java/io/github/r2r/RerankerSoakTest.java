package io.github.r2r;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.r2r.model.PretrainedEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Native memory is released per batch: many calls must not grow the process. */
class RerankerSoakTest {
  private static final int CALLS = 2_000;
  private static final long ALLOWED_GROWTH_KB = 150 * 1024;

  @Test
  void twoThousandCallsKeepResidentMemoryFlat() throws IOException {
    try (Reranker reranker = Reranker.builder().model(PretrainedEncoder.ALL_MINILM_L6_V2).build()) {
      List<String> docs = RerankerTest.DOCS;
      for (int i = 0; i < 200; i++) { // warm-up: allocator pools and JIT reach steady state
        reranker.rerank("warm up query " + i, docs);
      }
      long before = residentKb();
      long peak = before;
      for (int i = 0; i < CALLS; i++) {
        reranker.rerank("soak query number " + i, docs);
        if (i % 250 == 0) {
          peak = Math.max(peak, residentKb());
        }
      }
      long after = residentKb();
      System.out.printf(
          "soak: RSS before %d MB, after %d calls %d MB, peak %d MB%n",
          before / 1024, CALLS, after / 1024, Math.max(peak, after) / 1024);
      assertTrue(
          after - before < ALLOWED_GROWTH_KB,
          "resident memory grew by " + (after - before) / 1024 + " MB over " + CALLS + " calls");
    }
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
