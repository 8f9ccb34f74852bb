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
import io.github.r2r.util.AtomicFiles;
import io.github.r2r.util.ProgressBar;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 * <p>Without {@code --batch-size} the Reranker's default applies, which is tuned per precision. {@code
 * --model bm25} writes the benchmark's BM25 order and loads no model, so it refuses {@code --precision},
 * {@code --batch-size}, {@code --feedback} and {@code --run-scores model}. {@code --json} needs the
 * benchmark's qrels.
 */
public final class EvaluateTrec {
  private static final String USAGE =
      "usage: EvaluateTrec --data DIR --model bm25|bundled|all-minilm-l6-v2|bge-small-en-v1.5|e5-small-v2|MODEL_DIR"
          + " [--out run.txt] [--json metrics.json] [--limit QUERIES] [--batch-size N] [--feedback none|TOP:WEIGHT]"
          + " [--run-scores rank|model] " + ModelOption.PRECISION_USAGE + " [--dev-queries N]\n"
          + "--batch-size defaults to the Reranker's for the precision: " + Reranker.DEFAULT_BATCH_SIZE + " in fp32, "
          + Reranker.DEFAULT_BATCH_SIZE_LOW_PRECISION + " in bf16 and int8\n"
          + "--model bm25 (the benchmark's BM25 order) takes none of --batch-size, --feedback, --precision"
          + " and --run-scores model";

  private EvaluateTrec() {}

  public static void main(String[] args) throws IOException {
    CommandLine.runMain(USAGE, args, EvaluateTrec::run);
  }

  /** The program on {@code args}: what {@link #main} runs, and what tests call. */
  static void run(String[] args) throws IOException {
    CommandLine cli =
        new CommandLine(args, Set.of("data", "model", "out", "json", "limit", "batch-size", "feedback", "run-scores", "precision",
                "dev-queries"));
    // Every option is checked before the benchmark is read and the model loaded.
    Path data = Path.of(cli.required("data"));
    String model = cli.required("model");
    Optional<Path> out = cli.outputFile("out");
    Optional<Path> json = cli.outputFile("json");
    int limit = cli.intAtLeast("limit", Integer.MAX_VALUE, 1);
    OptionalInt devQueries =
        cli.optional("dev-queries").isPresent() ? OptionalInt.of(cli.intAtLeast("dev-queries", 1, 1)) : OptionalInt.empty();
    OptionalInt batchSize = batchSize(cli);
    QueryFeedback feedback = feedback(cli);
    String runScores = cli.choice("run-scores", "rank", "rank", "model");
    Precision precision = ModelOption.precision(cli);
    if (model.equals("bm25")) {
      refuseRerankingOptions(cli, runScores);
    }
    TrecBenchmark benchmark = TrecBenchmark.load(data);
    if (benchmark.qrels().isEmpty()) {
      if (out.isEmpty()) {
        throw new UsageException(data + " has no qrels.txt: nothing to evaluate (pass --out to only write the run)");
      }
      if (json.isPresent()) {
        throw new UsageException(data + " has no qrels.txt: no metrics for --json (--out alone writes the run)");
      }
    }
    List<BenchmarkQuery> queries = benchmark.queries();
    queries = queries.subList(0, Math.min(limit, queries.size()));
    if (devQueries.isPresent()) {
      // The dev set TrainStudent holds out of training: the last N queries by qid.
      int n = devQueries.getAsInt();
      if (n > queries.size()) {
        throw new UsageException("--dev-queries must be between 1 and " + queries.size() + ", got " + n);
      }
      List<BenchmarkQuery> byQid =
          queries.stream().sorted(java.util.Comparator.comparing(BenchmarkQuery::qid)).toList();
      queries = byQid.subList(byQid.size() - n, byQid.size());
    }

    long start = System.nanoTime();
    TrecRun run =
        model.equals("bm25")
            ? bm25(queries)
            : rerank(queries, model, batchSize, feedback, runScores.equals("model"), precision);
    double seconds = (System.nanoTime() - start) / 1e9;

    if (out.isPresent()) {
      run.write(out.get(), "r2r-" + model.replaceAll("[^A-Za-z0-9._-]", "_"));
    }
    if (benchmark.qrels().isEmpty()) {
      System.out.printf(Locale.ROOT, "%s has no qrels: run written to %s (%.1f s)%n", data, out.get(), seconds);
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
    if (json.isPresent()) {
      StringBuilder text = new StringBuilder("{");
      for (Map.Entry<String, Double> e : means.entrySet()) {
        text.append(String.format(Locale.ROOT, "\"%s\": %.6f, ", e.getKey(), e.getValue()));
      }
      text.append(String.format(Locale.ROOT, "\"queries\": %d, \"seconds\": %.2f, \"model\": \"%s\"}%n",
          result.queryCount(), seconds, model.replace("\\", "\\\\").replace("\"", "\\\"")));
      AtomicFiles.writeString(json.get(), text.toString());
    }
  }

  /**
   * {@code --model bm25} writes the benchmark's BM25 order: it loads no model, so the settings of the
   * reranking would be silently ignored.
   */
  private static void refuseRerankingOptions(CommandLine cli, String runScores) {
    for (String option : List.of("precision", "batch-size", "feedback")) {
      if (cli.optional(option).isPresent()) {
        throw new UsageException("--" + option + " has no effect with --model bm25");
      }
    }
    if (runScores.equals("model")) {
      throw new UsageException("--run-scores model has no effect with --model bm25 (its run holds rank-derived scores)");
    }
  }

  /** {@code --feedback}, if given, parsed before any work; null for the reranker's default. */
  static QueryFeedback feedback(CommandLine cli) {
    Optional<String> text = cli.optional("feedback");
    if (text.isEmpty()) {
      return null;
    }
    try {
      return QueryFeedback.parse(text.get());
    } catch (IllegalArgumentException e) {
      throw new UsageException("--feedback must be none or TOP:WEIGHT with TOP a positive integer and WEIGHT a"
          + " positive number, such as 2:0.75, got '" + text.get() + "'");
    }
  }

  /** {@code --batch-size}, if given: without it the Reranker's default, tuned per precision, applies. */
  static OptionalInt batchSize(CommandLine cli) {
    return cli.optional("batch-size").isPresent()
        ? OptionalInt.of(cli.intAtLeast("batch-size", 1, 1))
        : OptionalInt.empty();
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
