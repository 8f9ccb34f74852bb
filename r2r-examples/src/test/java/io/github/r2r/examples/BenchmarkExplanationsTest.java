package io.github.r2r.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.r2r.generate.DecodingOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BenchmarkExplanations' arguments; no benchmark is ever run. */
class BenchmarkExplanationsTest {
  private static String usageError(String... args) {
    return assertThrows(UsageException.class, () -> BenchmarkExplanations.run(args)).getMessage();
  }

  @Test
  void valuesAreRangeCheckedByNameBeforeTheBenchmarkIsRead() {
    // "nowhere" does not exist: each error comes before the benchmark is read.
    for (List<String> bad : List.of(
        List.of("--beam", "0", "--beam must be in [1, " + DecodingOptions.MAX_BEAM_SIZE + "], got 0"),
        List.of("--queries", "0", "--queries must be positive, got 0"),
        List.of("--repeats", "-1", "--repeats must be positive, got -1"),
        List.of("--top-k", "0", "--top-k must be positive, got 0"),
        List.of("--threads", "-1", "--threads must be zero or more, got -1"),
        List.of("--explain", "evidence,", "unknown --explain mode '' (evidence, pointwise, comparative)"),
        List.of("--evidence", "best", "--evidence must be auto, head or zero-shot, got best"),
        List.of("--max-word-occurrences", "0", "--max-word-occurrences must be positive, got 0"),
        List.of("--max-word-occurrences", "twice", "--max-word-occurrences must be an integer or 'unlimited', got 'twice'"))) {
      assertEquals(bad.get(2), usageError("--data", "nowhere", bad.get(0), bad.get(1)));
    }
  }

  @Test
  void theJsonFileIsCheckedBeforeTheBenchmarkIsRead(@TempDir Path dir) throws IOException {
    Path json = Files.writeString(dir.resolve("missing"), "a file, not a directory").resolve("cost.json");
    String message = usageError("--data", "nowhere", "--json", json.toString());
    assertTrue(message.startsWith("--json " + json + ": " + dir.resolve("missing") + " is not a directory"), message);
  }
}
