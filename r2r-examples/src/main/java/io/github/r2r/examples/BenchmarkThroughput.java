package io.github.r2r.examples;

import ai.djl.engine.Engine;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.r2r.QueryFeedback;
import io.github.r2r.Reranker;
import io.github.r2r.eval.BenchmarkQuery;
import io.github.r2r.eval.Candidate;
import io.github.r2r.eval.SharedData;
import io.github.r2r.eval.TrecBenchmark;
import io.github.r2r.model.BertConfig;
import io.github.r2r.model.OpenMpWaitPolicy;
import io.github.r2r.model.Precision;
import io.github.r2r.model.RankingModel;
import io.github.r2r.text.InputSequence;
import io.github.r2r.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Pairs per second of the bundled default model's scoring path against the same model in ONNX Runtime
 * fp32 and against our naive baseline, measured side by side in one run on the same inputs.
 *
 * <pre>
 * BenchmarkThroughput [--data DIR] [--queries 10] [--repetitions 3] [--threads N] [--workers N] [--batch-size N]
 *                     [--synthetic-queries 2] [--synthetic-docs 25]
 *                     [--tune-batch-sizes 8,16,32 [--precision fp32|bf16|int8|auto]] [--json FILE]
 * </pre>
 *
 * <p>{@code --batch-size} applies to every contestant; without it each runs at the Reranker's default
 * for its precision ({@link Reranker#DEFAULT_BATCH_SIZE}, {@link Reranker#DEFAULT_BATCH_SIZE_LOW_PRECISION}), the
 * ONNX Runtime and naive contestants at the float32 one. {@code --threads} is the number of cores to use
 * (default: all), {@code --workers} how many batches
 * run side by side (default: as many as threads), each op on {@code threads / workers} engine threads.
 * Contestants: {@code r2r} ({@link Reranker#rerank}, bundled default model, those workers and engine
 * threads); {@code r2r-bf16} and {@code r2r-int8} (the same with {@link Precision#BF16} and {@link
 * Precision#INT8}, each reported with its own ratios);
 * {@code onnxruntime} and {@code onnxruntime-nospin} (the model's ONNX graph, one batch at a
 * time, intra-op threads = {@code --threads}, spinning waits on and off); {@code onnxruntime-workers}
 * (batches side by side as r2r runs them, intra-op threads = {@code threads / workers}); the fastest
 * of the three is the reference. {@code naive}: our op-by-op encoder, input order, every batch padded
 * to the request's longest input, batches side by side as r2r's (the engine's thread count is one
 * setting per process, so it gets the same). Each repetition runs every query through every
 * contestant, rotating their order per query, so load from other processes falls on all of them alike;
 * throughputs are medians over repetitions. Workloads: the first {@code --queries} DL19 queries with
 * their 100 BM25 candidates, and synthetic 200-word documents.
 *
 * <p>With {@code --tune-batch-sizes} it instead times the Reranker alone at each batch size on DL19,
 * in the {@code --precision} given (default fp32).
 */
public final class BenchmarkThroughput {
  private static final String USAGE =
      "usage: BenchmarkThroughput [--data DIR] [--queries N] [--repetitions N] [--threads N] [--workers N]"
          + " [--batch-size N] [--synthetic-queries N] [--synthetic-docs N]"
          + " [--tune-batch-sizes 8,16,32 " + ModelOption.PRECISION_USAGE + "] [--json FILE]\n"
          + "--precision applies to --tune-batch-sizes only: the comparison runs every precision";
  private static final int SYNTHETIC_WORDS = 200;

  private BenchmarkThroughput() {}

  /** One query and its documents. */
  record Request(String query, List<String> documents) {}

  public static void main(String[] args) throws Exception {
    CommandLine.runMain(USAGE, args, BenchmarkThroughput::run);
  }

  /** The program on {@code args}: what {@link #main} runs, and what tests call. */
  static void run(String[] args) throws IOException, OrtException {
    CommandLine cli =
        new CommandLine(
            args,
            Set.of(
                "data",
                "queries",
                "repetitions",
                "threads",
                "workers",
                "batch-size",
                "synthetic-queries",
                "synthetic-docs",
                "tune-batch-sizes",
                "precision",
                "json"));
    // Every option is checked before the benchmark is read and any model loaded.
    Optional<List<Integer>> tuneBatchSizes = cli.intList("tune-batch-sizes");
    if (tuneBatchSizes.isPresent() && tuneBatchSizes.get().stream().anyMatch(size -> size < 1)) {
      throw new UsageException(
          "--tune-batch-sizes must be positive integers, got '" + cli.required("tune-batch-sizes") + "'");
    }
    if (cli.optional("precision").isPresent() && tuneBatchSizes.isEmpty()) {
      // Without --tune-batch-sizes every precision is measured: a precision given there would be ignored.
      throw new UsageException("--precision applies only with --tune-batch-sizes (the comparison runs every precision)");
    }
    Precision tunePrecision = ModelOption.precision(cli);
    int threads = cli.intAtLeast("threads", Runtime.getRuntime().availableProcessors(), 1);
    int workers = cli.intAtLeast("workers", threads, 1);
    if (threads % workers != 0) {
      throw new UsageException("--workers must divide --threads (" + threads + "), got " + workers);
    }
    // Each contestant runs at the Reranker's default batch size for its precision unless one is given.
    int batchSize = cli.intAtLeast("batch-size", Reranker.DEFAULT_BATCH_SIZE, 1);
    int lowPrecisionBatchSize = cli.intAtLeast("batch-size", Reranker.DEFAULT_BATCH_SIZE_LOW_PRECISION, 1);
    int repetitions = cli.intAtLeast("repetitions", 3, 1);
    int queryCount = cli.intAtLeast("queries", 10, 1);
    int syntheticQueries = cli.intAtLeast("synthetic-queries", 2, 1);
    int syntheticDocs = cli.intAtLeast("synthetic-docs", 25, 1);
    Optional<Path> jsonFile = cli.outputFile("json");
    Path data =
        cli.optional("data")
            .map(Path::of)
            .or(() -> SharedData.locate("trec-dl19-passage"))
            .orElseThrow(() -> new UsageException("no --data and no shared trec-dl19-passage folder found"));
    List<BenchmarkQuery> queries = TrecBenchmark.load(data).queries();
    if (queries.isEmpty()) {
      throw new IllegalArgumentException(data + " has no queries to benchmark");
    }
    List<Request> dl19 = dl19(queries, queryCount);
    List<Request> synthetic = synthetic(queries, syntheticQueries, syntheticDocs);

    JsonObject report = new JsonObject();
    report.add("machine", machine(threads, "start"));
    if (tuneBatchSizes.isPresent()) {
      report.add("batch_size_tuning", tune(dl19, tuneBatchSizes.get(), threads, workers, repetitions, tunePrecision));
    } else {
      compare(report, dl19, synthetic, threads, workers, batchSize, lowPrecisionBatchSize, repetitions);
    }
    report.getAsJsonObject("machine").addProperty("load_average_end", loadAverage());
    String json = new GsonBuilder().setPrettyPrinting().create().toJson(report);
    if (jsonFile.isPresent()) {
      AtomicFiles.writeString(jsonFile.get(), json + "\n");
    }
    System.out.println(json);
  }

  private static void compare(
      JsonObject report,
      List<Request> dl19,
      List<Request> synthetic,
      int threads,
      int workers,
      int batchSize,
      int lowPrecisionBatchSize,
      int repetitions)
      throws IOException, OrtException {
    // Without query feedback: the contestants compute the plain cosine, and scores are compared
    // (feedback adds a few vector operations per query, no encoding).
    int engineThreads = threads / workers;
    try (Reranker reranker = reranker(engineThreads, workers, batchSize, Precision.FP32);
        Reranker bf16Reranker = reranker(engineThreads, workers, lowPrecisionBatchSize, Precision.BF16);
        Reranker int8Reranker = reranker(engineThreads, workers, lowPrecisionBatchSize, Precision.INT8);
        Contestant ours = new RerankerContestant("r2r", reranker);
        Contestant oursBf16 = new RerankerContestant("r2r-bf16", bf16Reranker);
        Contestant oursInt8 = new RerankerContestant("r2r-int8", int8Reranker);
        Contestant ort =
            new OnnxRuntimeContestant("onnxruntime", reranker.model(), batchSize, threads, 1, true);
        Contestant ortNoSpin =
            new OnnxRuntimeContestant("onnxruntime-nospin", reranker.model(), batchSize, threads, 1, false);
        Contestant ortWorkers = new OnnxRuntimeContestant(
            "onnxruntime-workers", reranker.model(), batchSize, engineThreads, workers, true);
        Contestant naive = new NaiveContestant(reranker.model(), batchSize, workers)) {
      RankingModel model = reranker.model();
      report.add("engines", engines());
      report.addProperty("model", model.config().name());
      report.addProperty("scoring", model.config().scoring().toString());
      report.addProperty("batch_size", batchSize);
      report.addProperty("batch_size_bf16_int8", lowPrecisionBatchSize);
      report.addProperty("workers", workers);
      report.addProperty("engine_threads", engineThreads);
      report.addProperty("repetitions", repetitions);
      List<Contestant> contestants = List.of(ours, oursBf16, oursInt8, ort, ortNoSpin, ortWorkers, naive);
      Map<String, Run> dl19Runs = run(contestants, dl19, repetitions, model);
      Map<String, Run> syntheticRuns = run(contestants, synthetic, repetitions, model);
      report.add("dl19", describe(dl19Runs, dl19, model));
      report.add("synthetic_200_words", describe(syntheticRuns, synthetic, model));
      double ortBest = Math.max(
          dl19Runs.get("onnxruntime-workers").medianPairsPerSecond(),
          Math.max(
              dl19Runs.get("onnxruntime").medianPairsPerSecond(),
              dl19Runs.get("onnxruntime-nospin").medianPairsPerSecond()));
      double oursRate = dl19Runs.get("r2r").medianPairsPerSecond();
      report.addProperty("ratio_vs_onnxruntime", round(oursRate / ortBest));
      report.addProperty(
          "ratio_vs_naive", round(oursRate / dl19Runs.get("naive").medianPairsPerSecond()));
      report.addProperty(
          "gflops_per_second", round(dl19Runs.get("r2r").flops() / 1e9 / dl19Runs.get("r2r").medianSeconds()));
      report.add("r2r_seconds_per_dl19_query", dl19Runs.get("r2r").latencySummary());
      // The optional low-precision paths, against the same float32 references.
      for (String precision : List.of("bf16", "int8")) {
        Run run = dl19Runs.get("r2r-" + precision);
        double rate = run.medianPairsPerSecond();
        report.addProperty("ratio_vs_onnxruntime_" + precision, round(rate / ortBest));
        report.addProperty("ratio_vs_naive_" + precision, round(rate / dl19Runs.get("naive").medianPairsPerSecond()));
        report.addProperty("ratio_" + precision + "_vs_fp32", round(rate / oursRate));
        report.add("r2r_" + precision + "_seconds_per_dl19_query", run.latencySummary());
      }
    }
  }

  /** Times the Reranker alone on DL19 at each batch size, interleaved. */
  private static JsonObject tune(
      List<Request> dl19, List<Integer> sizes, int threads, int workers, int repetitions, Precision precision) {
    List<Reranker> rerankers = new ArrayList<>();
    List<Contestant> contestants = new ArrayList<>();
    try {
      for (int b : sizes) {
        Reranker reranker = reranker(threads / workers, workers, b, precision);
        rerankers.add(reranker);
        contestants.add(new RerankerContestant("batch_" + b, reranker));
      }
      Map<String, Run> runs = run(contestants, dl19, repetitions, rerankers.get(0).model());
      JsonObject out = new JsonObject();
      for (Run r : runs.values()) {
        out.addProperty(r.name() + "_pairs_per_second", round(r.medianPairsPerSecond()));
      }
      return out;
    } finally {
      rerankers.forEach(Reranker::close);
    }
  }

  /** The Reranker under test: no query feedback, so that its scores are the plain cosine the others compute. */
  private static Reranker reranker(int engineThreads, int workers, int batchSize, Precision precision) {
    return Reranker.builder()
        .precision(precision)
        .threads(engineThreads)
        .workers(workers)
        .batchSize(batchSize)
        .queryFeedback(QueryFeedback.none())
        .build();
  }

  /** Timings of one contestant: seconds[repetition][query], and its scores of the first repetition. */
  record Run(String name, double[][] seconds, List<float[]> scores, int pairs, double flops) {
    double medianSeconds() {
      return median(Arrays.stream(seconds).mapToDouble(r -> Arrays.stream(r).sum()).toArray());
    }

    double medianPairsPerSecond() {
      return pairs / medianSeconds();
    }

    JsonObject latencySummary() {
      double[] all = Arrays.stream(seconds).flatMapToDouble(Arrays::stream).sorted().toArray();
      JsonObject out = new JsonObject();
      out.addProperty("median", round(median(all)));
      out.addProperty("p10", round(all[(int) Math.floor(0.1 * (all.length - 1))]));
      out.addProperty("p90", round(all[(int) Math.ceil(0.9 * (all.length - 1))]));
      out.addProperty("min", round(all[0]));
      out.addProperty("max", round(all[all.length - 1]));
      return out;
    }
  }

  private static Map<String, Run> run(
      List<Contestant> contestants, List<Request> requests, int repetitions, RankingModel model) {
    for (Contestant c : contestants) {
      c.score(requests.get(0).query(), requests.get(0).documents()); // warm-up: JIT, allocator
    }
    int n = contestants.size();
    double[][][] seconds = new double[n][repetitions][requests.size()];
    List<List<float[]>> scores = new ArrayList<>();
    for (int c = 0; c < n; c++) {
      scores.add(new ArrayList<>());
    }
    for (int rep = 0; rep < repetitions; rep++) {
      for (int q = 0; q < requests.size(); q++) {
        Request request = requests.get(q);
        for (int k = 0; k < n; k++) {
          int c = (k + q + rep) % n;
          long start = System.nanoTime();
          float[] s = contestants.get(c).score(request.query(), request.documents());
          seconds[c][rep][q] = (System.nanoTime() - start) / 1e9;
          if (rep == 0) {
            scores.get(c).add(s);
          }
        }
      }
      System.err.printf(Locale.ROOT, "repetition %d/%d done, load %s%n", rep + 1, repetitions, loadAverage());
    }
    int pairs = requests.stream().mapToInt(r -> r.documents().size()).sum();
    double flops = requests.stream().mapToDouble(r -> flops(model, r)).sum();
    Map<String, Run> runs = new LinkedHashMap<>();
    for (int c = 0; c < n; c++) {
      String name = contestants.get(c).name();
      runs.put(name, new Run(name, seconds[c], scores.get(c), pairs, flops));
    }
    return runs;
  }

  private static JsonObject describe(Map<String, Run> runs, List<Request> requests, RankingModel model) {
    JsonObject out = new JsonObject();
    long tokens = 0;
    int sequences = 0;
    for (Request r : requests) {
      for (InputSequence s : ScoringInputs.of(model, r.query(), r.documents()).allSequences()) {
        tokens += s.length();
        sequences++;
      }
    }
    out.addProperty("queries", requests.size());
    out.addProperty("pairs", runs.values().iterator().next().pairs());
    out.addProperty("mean_tokens_per_sequence", round((double) tokens / sequences));
    Run ours = runs.get(runs.keySet().iterator().next());
    JsonObject systems = new JsonObject();
    for (Run r : runs.values()) {
      JsonObject s = new JsonObject();
      s.addProperty("pairs_per_second_median", round(r.medianPairsPerSecond()));
      s.addProperty("gflops_per_second", round(r.flops() / 1e9 / r.medianSeconds()));
      JsonArray perRep = new JsonArray();
      for (double[] rep : r.seconds()) {
        perRep.add(round(r.pairs() / Arrays.stream(rep).sum()));
      }
      s.add("pairs_per_second_per_repetition", perRep);
      s.addProperty("max_abs_score_difference_vs_" + ours.name(), maxDifference(ours, r));
      systems.add(r.name(), s);
    }
    out.add("systems", systems);
    return out;
  }

  private static double maxDifference(Run a, Run b) {
    double max = 0;
    for (int q = 0; q < a.scores().size(); q++) {
      for (int d = 0; d < a.scores().get(q).length; d++) {
        max = Math.max(max, Math.abs(a.scores().get(q)[d] - b.scores().get(q)[d]));
      }
    }
    return max;
  }

  /** Useful floating-point operations of scoring one request (real tokens only, see below). */
  static double flops(RankingModel model, Request request) {
    double total = 0;
    for (InputSequence s : ScoringInputs.of(model, request.query(), request.documents()).allSequences()) {
      total += encoderFlops(model.config().encoder(), s.length());
    }
    return total;
  }

  /**
   * Floating-point operations of the encoder's matrix products on one sequence of {@code length}
   * tokens: per layer, projections and feed-forward {@code 2·L·h·(4h + 2·ff)} and attention
   * {@code 4·L²·h} (scores and weighted values). Embeddings, norms and activations are not counted.
   */
  static double encoderFlops(BertConfig config, int length) {
    double h = config.hiddenSize();
    double l = length;
    double perLayer = 2 * l * h * (4 * h + 2 * config.intermediateSize()) + 4 * l * l * h;
    return config.numHiddenLayers() * perLayer;
  }

  private static List<Request> dl19(List<BenchmarkQuery> queries, int count) {
    List<Request> out = new ArrayList<>();
    for (BenchmarkQuery q : queries.subList(0, Math.min(count, queries.size()))) {
      out.add(new Request(q.query(), q.candidates().stream().map(Candidate::text).toList()));
    }
    return out;
  }

  /** Documents of {@value #SYNTHETIC_WORDS} words drawn (seeded) from the DL19 passages' vocabulary. */
  private static List<Request> synthetic(List<BenchmarkQuery> queries, int count, int docs) {
    Set<String> vocabulary = new LinkedHashSet<>();
    for (BenchmarkQuery q : queries) {
      for (Candidate c : q.candidates()) {
        for (String word : c.text().split("\\s+")) {
          if (word.matches("[A-Za-z]+")) {
            vocabulary.add(word.toLowerCase(Locale.ROOT));
          }
        }
      }
    }
    List<String> words = new ArrayList<>(vocabulary);
    Random random = new Random(20190101);
    List<Request> out = new ArrayList<>();
    for (BenchmarkQuery q : queries.subList(0, Math.min(count, queries.size()))) {
      List<String> documents = new ArrayList<>();
      for (int d = 0; d < docs; d++) {
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < SYNTHETIC_WORDS; w++) {
          text.append(w == 0 ? "" : " ").append(words.get(random.nextInt(words.size())));
        }
        documents.add(text.toString());
      }
      out.add(new Request(q.query(), documents));
    }
    return out;
  }

  private static JsonObject machine(int threads, String when) {
    JsonObject out = new JsonObject();
    out.addProperty("cpu", cpuModel());
    out.addProperty("available_processors", Runtime.getRuntime().availableProcessors());
    out.addProperty("threads", threads);
    out.addProperty("load_average_" + when, loadAverage());
    out.addProperty("java", System.getProperty("java.version"));
    return out;
  }

  /** Engine versions and the OpenMP wait policy, read after the engines started. */
  private static JsonObject engines() {
    JsonObject out = new JsonObject();
    out.addProperty("pytorch", Engine.getEngine("PyTorch").getVersion());
    out.addProperty("onnxruntime", OrtEnvironment.getEnvironment().getVersion());
    out.addProperty("omp_wait_policy", String.valueOf(OpenMpWaitPolicy.current()));
    return out;
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The 1-, 5- and 15-minute load averages (Linux), or "unknown". */
  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }
}
