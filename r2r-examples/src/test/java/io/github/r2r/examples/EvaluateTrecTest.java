package io.github.r2r.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateTrecTest {
  private static CommandLine cli(String... args) {
    return new CommandLine(args, Set.of("batch-size"));
  }

  @Test
  void withoutBatchSizeTheRerankersDefaultForThePrecisionApplies() {
    // Empty: the program then leaves the Reranker.Builder's batch size unset (8 in fp32, 4 in bf16 and int8).
    assertEquals(OptionalInt.empty(), EvaluateTrec.batchSize(cli()));
    assertEquals(OptionalInt.of(32), EvaluateTrec.batchSize(cli("--batch-size", "32")));
  }

  @Test
  void aBadBatchSizeIsAUsageErrorBeforeTheBenchmarkIsRead() {
    UsageException e = assertThrows(UsageException.class, () -> EvaluateTrec.run(
        new String[] {"--data", "nowhere", "--model", "bundled", "--batch-size", "many"}));
    assertEquals("--batch-size must be an integer, got 'many'", e.getMessage());
    assertEquals("--batch-size must be positive, got 0",
        assertThrows(UsageException.class, () -> EvaluateTrec.batchSize(cli("--batch-size", "0"))).getMessage());
  }

  /** A benchmark folder of two queries with two candidates each; with qrels when {@code qrels}. */
  private static Path benchmark(Path dir, boolean qrels) throws Exception {
    Path bench = Files.createDirectories(dir.resolve(qrels ? "bench" : "bench-noqrels"));
    Files.writeString(bench.resolve("queries.tsv"), "1\tcapital of france\n2\ttall animals\n");
    Files.writeString(bench.resolve("candidates.jsonl"),
        "{\"qid\": \"1\", \"query\": \"capital of france\", \"candidates\": ["
            + "{\"docid\": \"a\", \"text\": \"Paris is the capital.\", \"bm25_rank\": 1, \"bm25_score\": 2.0},"
            + " {\"docid\": \"b\", \"text\": \"Bread.\", \"bm25_rank\": 2, \"bm25_score\": 1.0}]}\n"
            + "{\"qid\": \"2\", \"query\": \"tall animals\", \"candidates\": ["
            + "{\"docid\": \"c\", \"text\": \"Cats sleep.\", \"bm25_rank\": 1, \"bm25_score\": 2.0},"
            + " {\"docid\": \"d\", \"text\": \"Giraffes are tall.\", \"bm25_rank\": 2, \"bm25_score\": 1.0}]}\n");
    if (qrels) {
      Files.writeString(bench.resolve("qrels.txt"), "1 0 a 3\n1 0 b 0\n2 0 c 0\n2 0 d 3\n");
    }
    return bench;
  }

  private static String usageError(String... args) {
    return assertThrows(UsageException.class, () -> EvaluateTrec.run(args)).getMessage();
  }

  @Test
  void numericOptionsAreRangeCheckedBeforeTheBenchmarkIsRead() {
    // "nowhere" does not exist: each error comes before the benchmark is read.
    assertEquals("--limit must be positive, got -3", usageError("--data", "nowhere", "--model", "bm25", "--limit", "-3"));
    assertEquals("--limit must be positive, got 0", usageError("--data", "nowhere", "--model", "bm25", "--limit", "0"));
    assertEquals("--dev-queries must be positive, got 0",
        usageError("--data", "nowhere", "--model", "bm25", "--dev-queries", "0"));
  }

  @Test
  void aMalformedFeedbackIsAUsageErrorBeforeAnyWork() {
    for (String feedback : List.of("garbage", "2", "0:0.5", "2:-1")) {
      String message = usageError("--data", "nowhere", "--model", "bundled", "--feedback", feedback);
      assertEquals("--feedback must be none or TOP:WEIGHT with TOP a positive integer and WEIGHT a positive number,"
          + " such as 2:0.75, got '" + feedback + "'", message);
    }
    // "none" and TOP:WEIGHT parse:
    CommandLine none = new CommandLine(new String[] {"--feedback", "none"}, Set.of("feedback"));
    assertEquals("none", EvaluateTrec.feedback(none).toString());
    CommandLine rocchio = new CommandLine(new String[] {"--feedback", "2:0.75"}, Set.of("feedback"));
    assertEquals("2:0.75", EvaluateTrec.feedback(rocchio).toString());
  }

  @Test
  void outputFilesAreCheckedBeforeTheBenchmarkIsRead(@TempDir Path dir) throws IOException {
    Path aFile = Files.writeString(dir.resolve("a-file"), "not a directory");
    String blocked = aFile.resolve("out").toString();
    for (String option : List.of("--json", "--out")) {
      String message = usageError("--data", "nowhere", "--model", "bm25", option, blocked);
      assertEquals(option + " " + blocked + ": " + aFile + " is not a directory", message);
    }
    assertEquals("--json " + dir + " is a directory; give a file to write",
        usageError("--data", "nowhere", "--model", "bm25", "--json", dir.toString()));
  }

  @Test
  void bm25RefusesTheSettingsOfAReranking() {
    for (String[] setting : List.of(new String[] {"--precision", "bf16"}, new String[] {"--batch-size", "16"},
        new String[] {"--feedback", "2:0.75"})) {
      assertEquals(setting[0] + " has no effect with --model bm25",
          usageError("--data", "nowhere", "--model", "bm25", setting[0], setting[1]));
    }
    assertTrue(usageError("--data", "nowhere", "--model", "bm25", "--run-scores", "model")
        .startsWith("--run-scores model has no effect with --model bm25"));
  }

  @Test
  void bm25WritesTheRunAndTheMetricsWholeAndLimitsTheQueries(@TempDir Path dir) throws Exception {
    Path bench = benchmark(dir, true);
    Path out = dir.resolve("bm25.run");
    Path json = dir.resolve("metrics.json");
    EvaluateTrec.run(new String[] {"--data", bench.toString(), "--model", "bm25", "--limit", "1",
        "--out", out.toString(), "--json", json.toString()});

    JsonObject metrics = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    assertEquals(1, metrics.get("queries").getAsInt(), "--limit 1");
    assertEquals(1.0, metrics.get("ndcg@10").getAsDouble(), 1e-9, "query 1's BM25 order is ideal");
    assertEquals(List.of("1 Q0 a 1 -1.0 r2r-bm25", "1 Q0 b 2 -2.0 r2r-bm25"),
        Files.readAllLines(out).stream().map(line -> line.replaceAll("\\s+", " ").strip()).toList());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".partial")).toList(), "no temporary file left");
    }
  }

  @Test
  void withoutQrelsThereAreNoMetricsForJson(@TempDir Path dir) throws Exception {
    Path bench = benchmark(dir, false);
    String message = usageError("--data", bench.toString(), "--model", "bm25", "--out", dir.resolve("r.run").toString(),
        "--json", dir.resolve("m.json").toString());
    assertEquals(bench + " has no qrels.txt: no metrics for --json (--out alone writes the run)", message);
    assertTrue(Files.notExists(dir.resolve("r.run")), "nothing written");
  }
}
