package io.github.r2r.examples;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.r2r.Document;
import io.github.r2r.Explain;
import io.github.r2r.Ranking;
import io.github.r2r.Reranker;
import io.github.r2r.eval.BenchmarkQuery;
import io.github.r2r.eval.Candidate;
import io.github.r2r.eval.TrecBenchmark;
import io.github.r2r.model.PretrainedEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The time that evidence explanations add to a rerank call: each query's candidates (TREC DL, BM25
 * top-100) reranked by two rerankers of the same model, one with {@code explain(EVIDENCE, topK)} and
 * one without, alternating which runs first. Per query the added time is the difference of the
 * median times of the two; the report gives the median and spread of that over the queries, and
 * checks that both return identical scores. A benchmark, not a test: run it on a quiet machine.
 *
 * <pre>
 * BenchmarkExplanations --data ../shared/data/trec-dl19-passage [--model bundled|NAME|MODEL_DIR]
 *                       [--queries 10] [--repeats 3] [--top-k 3] [--json OUT]
 * </pre>
 */
public final class BenchmarkExplanations {
  private static final String USAGE =
      "usage: BenchmarkExplanations --data TREC_DIR"
          + " [--model bundled|all-minilm-l6-v2|bge-small-en-v1.5|e5-small-v2|MODEL_DIR]"
          + " [--queries N] [--repeats N] [--top-k K] [--json OUT]";

  private BenchmarkExplanations() {}

  public static void main(String[] args) throws IOException {
    CommandLine cli =
        new CommandLine(args, Set.of("data", "model", "queries", "repeats", "top-k", "json"), USAGE);
    TrecBenchmark benchmark = TrecBenchmark.load(Path.of(cli.required("data")));
    String model = cli.optional("model").orElse("bundled");
    int queryCount = cli.intValue("queries", 10);
    int repeats = cli.intValue("repeats", 3);
    int topK = cli.intValue("top-k", 3);
    if (queryCount < 1 || repeats < 1 || topK < 1) {
      throw cli.fail("--queries, --repeats and --top-k must be positive");
    }
    List<BenchmarkQuery> queries = benchmark.queries();
    // The first query only warms up both rerankers (engine start, allocator, JIT).
    BenchmarkQuery warmUp = queries.get(0);
    queries = queries.subList(1, Math.min(queries.size(), queryCount + 1));

    double[] plainSeconds = new double[queries.size()];
    double[] addedSeconds = new double[queries.size()];
    int candidates = 0;
    int scoreMismatches = 0;
    try (Reranker plain = configure(model).build();
        Reranker explaining = configure(model).explain(Explain.EVIDENCE, topK).build()) {
      plain.rerankDocuments(warmUp.query(), documents(warmUp));
      explaining.rerankDocuments(warmUp.query(), documents(warmUp));
      for (int q = 0; q < queries.size(); q++) {
        BenchmarkQuery query = queries.get(q);
        List<Document> docs = documents(query);
        candidates = Math.max(candidates, docs.size());
        double[] plainTimes = new double[repeats];
        double[] explainTimes = new double[repeats];
        Ranking plainRanking = null;
        Ranking explainedRanking = null;
        for (int r = 0; r < repeats; r++) {
          boolean plainFirst = (q + r) % 2 == 0;
          if (plainFirst) {
            long t0 = System.nanoTime();
            plainRanking = plain.rerankDocuments(query.query(), docs);
            plainTimes[r] = (System.nanoTime() - t0) / 1e9;
          }
          long t1 = System.nanoTime();
          explainedRanking = explaining.rerankDocuments(query.query(), docs);
          explainTimes[r] = (System.nanoTime() - t1) / 1e9;
          if (!plainFirst) {
            long t0 = System.nanoTime();
            plainRanking = plain.rerankDocuments(query.query(), docs);
            plainTimes[r] = (System.nanoTime() - t0) / 1e9;
          }
        }
        scoreMismatches += mismatches(plainRanking, explainedRanking);
        plainSeconds[q] = median(plainTimes);
        addedSeconds[q] = median(explainTimes) - plainSeconds[q];
        System.err.printf(
            Locale.ROOT, "query %s: rerank %.3f s, explaining top %d adds %.3f s%n",
            query.qid(), plainSeconds[q], topK, addedSeconds[q]);
      }
    }
    JsonObject out = new JsonObject();
    out.addProperty("model", model);
    out.addProperty("queries", queries.size());
    out.addProperty("candidates_per_query", candidates);
    out.addProperty("top_k", topK);
    out.addProperty("repeats", repeats);
    out.addProperty("threads", Runtime.getRuntime().availableProcessors());
    out.addProperty("median_rerank_seconds", median(plainSeconds));
    out.addProperty("median_added_seconds", median(addedSeconds));
    out.addProperty("min_added_seconds", Arrays.stream(addedSeconds).min().orElse(Double.NaN));
    out.addProperty("max_added_seconds", Arrays.stream(addedSeconds).max().orElse(Double.NaN));
    out.addProperty("q1_added_seconds", quantile(addedSeconds, 0.25));
    out.addProperty("q3_added_seconds", quantile(addedSeconds, 0.75));
    JsonArray perQuery = new JsonArray();
    Arrays.stream(addedSeconds).forEach(perQuery::add);
    out.add("added_seconds_per_query", perQuery);
    out.addProperty("score_mismatches", scoreMismatches);
    String text = new GsonBuilder().setPrettyPrinting().create().toJson(out);
    System.out.println(text);
    if (cli.optional("json").isPresent()) {
      Files.writeString(Path.of(cli.optional("json").get()), text + "\n", StandardCharsets.UTF_8);
    }
  }

  private static Reranker.Builder configure(String model) {
    Reranker.Builder builder = Reranker.builder();
    PretrainedEncoder pretrained = EvaluateTrec.pretrainedByName(model);
    if (pretrained != null) {
      builder.model(pretrained);
    } else if (!model.equals("bundled")) {
      builder.model(Path.of(model));
    }
    return builder;
  }

  private static List<Document> documents(BenchmarkQuery query) {
    List<Document> docs = new ArrayList<>();
    for (Candidate c : query.candidates()) {
      docs.add(Document.of(c.docid(), c.text()));
    }
    return docs;
  }

  /** Documents whose rank or score differ between the two rankings. */
  private static int mismatches(Ranking a, Ranking b) {
    int count = 0;
    for (int r = 1; r <= a.size(); r++) {
      if (!a.atRank(r).id().equals(b.atRank(r).id()) || a.atRank(r).score() != b.atRank(r).score()) {
        count++;
      }
    }
    return count;
  }

  private static double median(double[] values) {
    return quantile(values, 0.5);
  }

  /** Linear-interpolation quantile (type 7, as R and NumPy by default). */
  private static double quantile(double[] values, double p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double position = p * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(sorted.length - 1, below + 1);
    return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
  }
}
