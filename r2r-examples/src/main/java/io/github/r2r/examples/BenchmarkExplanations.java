package io.github.r2r.examples;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.sun.management.OperatingSystemMXBean;
import io.github.r2r.Document;
import io.github.r2r.EvidenceScoring;
import io.github.r2r.Explain;
import io.github.r2r.Ranking;
import io.github.r2r.Reranker;
import io.github.r2r.eval.BenchmarkQuery;
import io.github.r2r.eval.Candidate;
import io.github.r2r.eval.TrecBenchmark;
import io.github.r2r.generate.DecodingOptions;
import io.github.r2r.model.Precision;
import io.github.r2r.util.AtomicFiles;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The time that evidence explanations add to a rerank call: each query's candidates (TREC DL, BM25
 * top-100) reranked by two rerankers of the same model, one with {@code explain(EVIDENCE, topK)} and
 * one without, alternating which runs first. Per query the added time is the difference of the
 * best (shortest) of the repeated times of the two, because other processes only ever add time; the
 * report gives the median and spread of that over the queries, as wall-clock time and as the process's
 * CPU time (all threads, the engine's native ones included), which other processes on a shared machine
 * disturb less. With {@code --threads 1} the CPU time is the work itself: with more engine threads
 * than free cores, threads that wait for a descheduled sibling spin and burn CPU time too. It also
 * checks that both rerankers return identical scores. A benchmark, not a test.
 *
 * <pre>
 * BenchmarkExplanations --data ../shared/data/trec-dl19-passage [--model bundled|NAME|MODEL_DIR]
 *                       [--queries 10] [--repeats 5] [--top-k 3] [--threads N] [--json OUT]
 *                       [--explain evidence|evidence,pointwise,comparative|...] [--beam 4]
 *                       [--evidence auto|head|zero-shot] [--max-word-occurrences N|unlimited]
 * </pre>
 *
 * <p>{@code --explain} lists the {@link Explain} modes (default {@code evidence}); with pointwise and
 * comparative reasons, the top k get k evidence sentences, k pointwise reasons and k - 1 comparative
 * reasons, decoded with beam search of {@code --beam} beams. {@code --evidence} chooses how evidence
 * sentences are scored ({@link EvidenceScoring}; default {@code auto}: the model's trained head if any).
 * {@code --max-word-occurrences} sets {@link DecodingOptions#maxWordOccurrences} (default: the
 * library's), to measure what the limit costs.
 */
public final class BenchmarkExplanations {
  private static final String USAGE =
      "usage: BenchmarkExplanations --data TREC_DIR"
          + " [--model bundled|all-minilm-l6-v2|bge-small-en-v1.5|e5-small-v2|MODEL_DIR]"
          + " [--queries N] [--repeats N] [--top-k K] [--threads N] [--json OUT] [--explain MODE,...] [--beam N]"
          + " [--evidence auto|head|zero-shot] [--max-word-occurrences N|unlimited] " + ModelOption.PRECISION_USAGE;

  private BenchmarkExplanations() {}

  public static void main(String[] args) throws IOException {
    CommandLine.runMain(USAGE, args, BenchmarkExplanations::run);
  }

  /** The program on {@code args}: what {@link #main} runs, and what tests call. */
  static void run(String[] args) throws IOException {
    CommandLine cli =
        new CommandLine(
            args, Set.of("data", "model", "queries", "repeats", "top-k", "threads", "json", "explain", "beam", "evidence", "precision",
                "max-word-occurrences"));
    // Every option is checked before the benchmark is read and the models loaded.
    Path data = Path.of(cli.required("data"));
    String model = cli.optional("model").orElse("bundled");
    int queryCount = cli.intAtLeast("queries", 10, 1);
    int repeats = cli.intAtLeast("repeats", 5, 1);
    int topK = cli.intAtLeast("top-k", 3, 1);
    int threads = cli.intAtLeast("threads", 0, 0);
    EnumSet<Explain> modes = EnumSet.noneOf(Explain.class);
    for (String mode : cli.optional("explain").orElse("evidence").split(",", -1)) {
      try {
        modes.add(Explain.valueOf(mode.strip().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new UsageException("unknown --explain mode '" + mode + "' (evidence, pointwise, comparative)");
      }
    }
    DecodingOptions defaults = DecodingOptions.defaults();
    DecodingOptions decoding = defaults
        .withBeamSize(cli.intInRange("beam", defaults.beamSize(), 1, DecodingOptions.MAX_BEAM_SIZE))
        .withMaxWordOccurrences(cli.limit("max-word-occurrences", defaults.maxWordOccurrences(), 1));
    String evidenceOption = cli.optional("evidence").orElse("auto");
    EvidenceScoring evidenceScoring = ModelOption.evidenceScoring(evidenceOption);
    Precision precision = ModelOption.precision(cli);
    Optional<Path> json = cli.outputFile("json");
    List<BenchmarkQuery> queries = TrecBenchmark.load(data).queries();
    if (queries.size() < 2) {
      throw new IllegalArgumentException(
          data + " has fewer than 2 queries: the benchmark needs one to warm up and one to time");
    }
    // The first query only warms up both rerankers (engine start, allocator, JIT).
    BenchmarkQuery warmUp = queries.get(0);
    queries = queries.subList(1, Math.min(queries.size(), queryCount + 1));

    Stats plainWall = new Stats(queries.size());
    Stats addedWall = new Stats(queries.size());
    Stats plainCpu = new Stats(queries.size());
    Stats addedCpu = new Stats(queries.size());
    int candidates = 0;
    int scoreMismatches = 0;
    try (Reranker plain = configure(model, threads, precision).build();
        Reranker explaining =
            configure(model, threads, precision).explain(modes, topK).reasonDecoding(decoding)
                .evidenceScoring(evidenceScoring).build()) {
      plain.rerankDocuments(warmUp.query(), documents(warmUp));
      explaining.rerankDocuments(warmUp.query(), documents(warmUp));
      for (int q = 0; q < queries.size(); q++) {
        BenchmarkQuery query = queries.get(q);
        List<Document> docs = documents(query);
        candidates = Math.max(candidates, docs.size());
        Timed plainBest = null;
        Timed explainedBest = null;
        for (int r = 0; r < repeats; r++) {
          boolean plainFirst = (q + r) % 2 == 0;
          Timed unexplained = plainFirst ? Timed.run(plain, query.query(), docs) : null;
          Timed explained = Timed.run(explaining, query.query(), docs);
          if (!plainFirst) {
            unexplained = Timed.run(plain, query.query(), docs);
          }
          scoreMismatches += mismatches(unexplained.ranking(), explained.ranking());
          plainBest = Timed.best(plainBest, unexplained);
          explainedBest = Timed.best(explainedBest, explained);
        }
        plainWall.add(plainBest.wallSeconds());
        addedWall.add(explainedBest.wallSeconds() - plainBest.wallSeconds());
        plainCpu.add(plainBest.cpuSeconds());
        addedCpu.add(explainedBest.cpuSeconds() - plainBest.cpuSeconds());
        System.err.printf(
            Locale.ROOT,
            "query %s: rerank %.3f s wall / %.3f s cpu; explaining top %d adds %.3f s wall / %.3f s cpu%n",
            query.qid(), plainBest.wallSeconds(), plainBest.cpuSeconds(), topK,
            explainedBest.wallSeconds() - plainBest.wallSeconds(),
            explainedBest.cpuSeconds() - plainBest.cpuSeconds());
      }
    }
    JsonObject out = new JsonObject();
    out.addProperty("model", model);
    out.addProperty("queries", queries.size());
    out.addProperty("candidates_per_query", candidates);
    out.addProperty("top_k", topK);
    out.addProperty("explain", modes.toString());
    out.addProperty("beam", decoding.beamSize());
    out.add("max_word_occurrences", decoding.maxWordOccurrences() == DecodingOptions.UNLIMITED
        ? JsonNull.INSTANCE : new JsonPrimitive(decoding.maxWordOccurrences()));
    out.addProperty("evidence_scoring", evidenceOption);
    out.addProperty("repeats", repeats);
    out.addProperty("cores", Runtime.getRuntime().availableProcessors());
    out.addProperty("engine_threads", threads == 0 ? "default" : Integer.toString(threads));
    out.addProperty(
        "timing",
        "per query: the best of the repeats of each mode, wall-clock and process CPU time (all threads,"
            + " native ones included); statistics over queries");
    out.add("rerank_wall_seconds", plainWall.toJson());
    out.add("added_wall_seconds", addedWall.toJson());
    out.add("rerank_cpu_seconds", plainCpu.toJson());
    out.add("added_cpu_seconds", addedCpu.toJson());
    out.addProperty("score_mismatches", scoreMismatches);
    out.addProperty("precision", precision.toString());
    String text = new GsonBuilder().setPrettyPrinting().create().toJson(out);
    System.out.println(text);
    if (json.isPresent()) {
      AtomicFiles.writeString(json.get(), text + "\n");
    }
  }

  /** @param threads engine threads, or 0 for the engine's default */
  private static Reranker.Builder configure(String model, int threads, Precision precision) {
    Reranker.Builder builder = Reranker.builder().precision(precision);
    if (threads > 0) {
      builder.threads(threads);
    }
    ModelOption.select(builder, model);
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

  /** One timed rerank call. */
  private record Timed(Ranking ranking, double wallSeconds, double cpuSeconds) {
    private static final OperatingSystemMXBean OS =
        (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    static Timed run(Reranker reranker, String query, List<Document> docs) {
      long cpu0 = OS.getProcessCpuTime();
      long wall0 = System.nanoTime();
      Ranking ranking = reranker.rerankDocuments(query, docs);
      long wall = System.nanoTime() - wall0;
      long cpu = OS.getProcessCpuTime() - cpu0;
      return new Timed(ranking, wall / 1e9, cpu / 1e9);
    }

    /** The faster of two calls, wall and CPU each taken at its own minimum. */
    static Timed best(Timed a, Timed b) {
      return a == null
          ? b
          : new Timed(b.ranking, Math.min(a.wallSeconds, b.wallSeconds), Math.min(a.cpuSeconds, b.cpuSeconds));
    }
  }

  /** Values over queries: median, quartiles (linear interpolation, as NumPy's default), extremes. */
  private static final class Stats {
    private final double[] values;
    private int size;

    Stats(int capacity) {
      values = new double[capacity];
    }

    void add(double value) {
      values[size++] = value;
    }

    JsonObject toJson() {
      JsonObject json = new JsonObject();
      json.addProperty("median", quantile(0.5));
      json.addProperty("q1", quantile(0.25));
      json.addProperty("q3", quantile(0.75));
      json.addProperty("min", quantile(0));
      json.addProperty("max", quantile(1));
      JsonArray all = new JsonArray();
      Arrays.stream(values, 0, size).forEach(all::add);
      json.add("per_query", all);
      return json;
    }

    private double quantile(double p) {
      double[] sorted = Arrays.copyOf(values, size);
      Arrays.sort(sorted);
      double position = p * (sorted.length - 1);
      int below = (int) Math.floor(position);
      int above = Math.min(sorted.length - 1, below + 1);
      return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
  }
}
