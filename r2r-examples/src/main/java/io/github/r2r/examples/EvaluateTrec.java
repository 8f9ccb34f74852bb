package io.github.r2r.examples;

import io.github.r2r.Document;
import io.github.r2r.QueryFeedback;
import io.github.r2r.RankedDocument;
import io.github.r2r.Ranking;
import io.github.r2r.Reranker;
import io.github.r2r.eval.BenchmarkQuery;
import io.github.r2r.eval.Candidate;
import io.github.r2r.eval.EvaluationResult;
import io.github.r2r.eval.Evaluator;
import io.github.r2r.eval.TrecBenchmark;
import io.github.r2r.eval.TrecRun;
import io.github.r2r.model.Precision;
import io.github.r2r.util.ProgressBar;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reranks a TREC benchmark's BM25 candidates and scores the run with trec_eval semantics.
 *
 * <pre>
 * EvaluateTrec --data ../shared/data/trec-dl19-passage --model bm25|bundled|e5-small-v2|PATH
 *              [--out run.txt] [--json metrics.json] [--limit N] [--batch-size N] [--feedback none|TOP:WEIGHT]
 *              [--run-scores rank|model] [--precision fp32|bf16|int8|auto] [--dev-queries N]
 * </pre>
 *
 * <p>Without {@code --batch-size} the Reranker's default applies, which is tuned per precision.
 */
public final class EvaluateTrec {
  private static final String USAGE =
      "usage: EvaluateTrec --data DIR --model bm25|bundled|all-minilm-l6-v2|bge-small-en-v1.5|e5-small-v2|MODEL_DIR"
          + " [--out run.txt] [--json metrics.json] [--limit QUERIES] [--batch-size N] [--feedback none|TOP:WEIGHT]"
          + " [--run-scores rank|model] " + ModelOption.PRECISION_USAGE + " [--dev-queries N]\n"
          + "--batch-size defaults to the Reranker's for the precision: " + Reranker.DEFAULT_BATCH_SIZE + " in fp32, "
          + Reranker.DEFAULT_BATCH_SIZE_LOW_PRECISION + " in bf16 and int8";

  private EvaluateTrec() {}

  public static void main(String[] args) throws IOException {
    CommandLine.runMain(USAGE, args, EvaluateTrec::run);
  }

  /** The program on {@code args}: what {@link #main} runs, and what tests call. */
  static void run(String[] args) throws IOException {
    CommandLine cli =
        new CommandLine(args, Set.of("data", "model", "out", "json", "limit", "batch-size", "feedback", "run-scores", "precision",
                "dev-queries"));
    Path data = Path.of(cli.required("data"));
    String model = cli.required("model");
    OptionalInt batchSize = batchSize(cli);
    TrecBenchmark benchmark = TrecBenchmark.load(data);
    if (benchmark.qrels().isEmpty() && cli.optional("out").isEmpty()) {
      throw new UsageException(data + " has no qrels.txt: nothing to evaluate (pass --out to only write the run)");
    }
    List<BenchmarkQuery> queries = benchmark.queries();
    int limit = cli.intValue("limit", queries.size());
    queries = queries.subList(0, Math.min(limit, queries.size()));
    if (cli.optional("dev-queries").isPresent()) {
      // The dev set TrainStudent holds out of training: the last N queries by qid.
      int n = cli.intValue("dev-queries", 0);
      if (n <= 0 || n > queries.size()) {
        throw new UsageException("--dev-queries must be between 1 and " + queries.size() + ", got " + n);
      }
      List<BenchmarkQuery> byQid =
          queries.stream().sorted(java.util.Comparator.comparing(BenchmarkQuery::qid)).toList();
      queries = byQid.subList(byQid.size() - n, byQid.size());
    }

    long start = System.nanoTime();
    QueryFeedback feedback = cli.optional("feedback").map(QueryFeedback::parse).orElse(null);
    String runScores = cli.choice("run-scores", "rank", "rank", "model");
    TrecRun run =
        model.equals("bm25")
            ? bm25(queries)
            : rerank(queries, model, batchSize, feedback, runScores.equals("model"),
                ModelOption.precision(cli));
    double seconds = (System.nanoTime() - start) / 1e9;

    if (cli.optional("out").isPresent()) {
      run.write(Path.of(cli.optional("out").get()), "r2r-" + model.replaceAll("[^A-Za-z0-9._-]", "_"));
    }
    if (benchmark.qrels().isEmpty()) {
      System.out.printf(Locale.ROOT, "%s has no qrels: run written to %s (%.1f s)%n",
          data, cli.optional("out").get(), seconds);
      return;
    }
    EvaluationResult result = Evaluator.trecDeepLearningPassage().evaluate(benchmark.qrels().get(), run);
    Map<String, Double> means = result.means();
    System.out.printf(Locale.ROOT, "%-12s %s%n", "data", data);
    System.out.printf(Locale.ROOT, "%-12s %s%n", "model", model);
    System.out.printf(Locale.ROOT, "%-12s %d%n", "queries", result.queryCount());
    for (Map.Entry<String, Double> e : means.entrySet()) {
      System.out.printf(Locale.ROOT, "%-12s %.4f%n", e.getKey(), e.getValue());
    }
    System.out.printf(Locale.ROOT, "%-12s %.1f%n", "seconds", seconds);
    if (cli.optional("json").isPresent()) {
      StringBuilder json = new StringBuilder("{");
      for (Map.Entry<String, Double> e : means.entrySet()) {
        json.append(String.format(Locale.ROOT, "\"%s\": %.6f, ", e.getKey(), e.getValue()));
      }
      json.append(String.format(Locale.ROOT, "\"queries\": %d, \"seconds\": %.2f, \"model\": \"%s\"}%n",
          result.queryCount(), seconds, model.replace("\\", "\\\\").replace("\"", "\\\"")));
      Files.writeString(Path.of(cli.optional("json").get()), json, StandardCharsets.UTF_8);
    }
  }

  /** {@code --batch-size}, if given: without it the Reranker's default, tuned per precision, applies. */
  static OptionalInt batchSize(CommandLine cli) {
    OptionalInt batchSize = cli.optionalInt("batch-size");
    if (batchSize.isPresent() && batchSize.getAsInt() < 1) {
      throw new UsageException("--batch-size must be positive, got " + batchSize.getAsInt());
    }
    return batchSize;
  }

  private static TrecRun bm25(List<BenchmarkQuery> queries) {
    TrecRun.Builder run = TrecRun.builder();
    for (BenchmarkQuery q : queries) {
      for (Candidate c : q.candidates()) {
        run.add(q.qid(), c.docid(), -c.bm25Rank());
      }
    }
    return run.build();
  }

  /**
   * @param batchSize empty for the reranker's default, which suits the precision
   * @param feedback null for the reranker's default (the bundled model's tuned feedback, else none)
   * @param modelScores write the model's scores (for distilling them) instead of rank-derived ones
   */
  private static TrecRun rerank(
      List<BenchmarkQuery> queries,
      String model,
      OptionalInt batchSize,
      QueryFeedback feedback,
      boolean modelScores,
      Precision precision) {
    Reranker.Builder builder = Reranker.builder().precision(precision);
    batchSize.ifPresent(builder::batchSize);
    if (feedback != null) {
      builder.queryFeedback(feedback);
    }
    ModelOption.select(builder, model);
    TrecRun.Builder run = TrecRun.builder();
    try (Reranker reranker = builder.build()) {
      System.err.println("query feedback: " + reranker.queryFeedback());
      ProgressBar progress = new ProgressBar(System.err, "reranking", queries.size());
      for (BenchmarkQuery q : queries) {
        List<Document> docs = new ArrayList<>();
        for (Candidate c : q.candidates()) {
          docs.add(Document.of(c.docid(), c.text()));
        }
        Ranking ranking = reranker.rerankDocuments(q.query(), docs);
        for (RankedDocument d : ranking) {
          // trec_eval re-sorts by score; rank-derived scores keep our tie-break (input order).
          run.add(q.qid(), d.id(), modelScores ? d.score() : -d.rank());
        }
        progress.step(1);
      }
      progress.finish();
    }
    return run.build();
  }
}
