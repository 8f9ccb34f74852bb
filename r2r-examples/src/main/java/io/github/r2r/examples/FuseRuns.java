package io.github.r2r.examples;

import io.github.r2r.eval.EvaluationResult;
import io.github.r2r.eval.Evaluator;
import io.github.r2r.eval.Qrels;
import io.github.r2r.eval.ScoredDocument;
import io.github.r2r.eval.TrecRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Fuses TREC runs by a weighted sum of per-query z-normalised scores and evaluates the result.
 *
 * <p>Scores of different models live on different scales (cosines of one encoder cluster near 0.8,
 * of another near 0.5; BM25 is unbounded), so each run's scores are standardised per query before
 * they are added. A document a run did not retrieve counts as tied with that run's last document
 * (see {@link #fuse(List, List, double[])}). Used to measure whether combining encoders helps, with
 * the weights chosen on one benchmark (DL21) and then applied unchanged to another (DL19).
 *
 * <pre>
 * FuseRuns --qrels qrels.txt --runs a.run,b.run[,c.run...] [--weights 1,0.5] [--out fused.run]
 * </pre>
 */
public final class FuseRuns {
  private static final String USAGE =
      "usage: FuseRuns --qrels QRELS --runs RUN,RUN[,RUN...] [--weights W,W[,W...]] [--out FUSED_RUN]\n"
          + "--weights gives one weight per run (default 1 each)";

  private FuseRuns() {}

  public static void main(String[] args) throws IOException {
    CommandLine.runMain(USAGE, args, FuseRuns::run);
  }

  /** The program on {@code args}: what {@link #main} runs, and what tests call. */
  static void run(String[] args) throws IOException {
    CommandLine cli = new CommandLine(args, Set.of("qrels", "runs", "weights", "out"));
    // Every option is checked before the runs are read.
    Path qrelsFile = Path.of(cli.required("qrels"));
    List<String> runPaths = runPaths(cli);
    double[] weights = weights(cli, runPaths.size());
    Optional<Path> out = cli.outputFile("out");
    Qrels qrels = Qrels.read(qrelsFile);
    List<TrecRun> runs = new ArrayList<>();
    for (String path : runPaths) {
      runs.add(TrecRun.read(Path.of(path)));
    }
    TrecRun fused = fuse(runs, runPaths, weights);
    EvaluationResult result = Evaluator.trecDeepLearningPassage().evaluate(qrels, fused);
    StringBuilder line = new StringBuilder();
    for (Map.Entry<String, Double> e : result.means().entrySet()) {
      line.append(String.format(Locale.ROOT, "%s %.4f  ", e.getKey(), e.getValue()));
    }
    System.out.println(line.toString().strip() + "  queries " + result.queryCount());
    if (out.isPresent()) {
      fused.write(out.get(), "r2r-fused");
    }
  }

  /** The run files of {@code --runs}: at least two, none empty (a stray comma would drop one silently). */
  static List<String> runPaths(CommandLine cli) {
    String value = cli.required("runs");
    List<String> paths = new ArrayList<>();
    for (String path : value.split(",", -1)) {
      if (path.isBlank()) {
        throw new UsageException("--runs has an empty run path in '" + value + "': give run files separated by commas");
      }
      paths.add(path.strip());
    }
    if (paths.size() < 2) {
      throw new UsageException("--runs must name at least 2 runs to fuse, got " + paths.size());
    }
    return paths;
  }

  /** The weight of each run: {@code --weights}, or 1 each. */
  private static double[] weights(CommandLine cli, int runs) {
    Optional<List<Double>> given = cli.doubleList("weights");
    if (given.isEmpty()) {
      double[] equal = new double[runs];
      Arrays.fill(equal, 1.0);
      return equal;
    }
    if (given.get().size() != runs) {
      throw new UsageException("--weights gives " + given.get().size() + " weights for " + runs + " runs");
    }
    return given.get().stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * The weighted sum of per-query z-scores, runs named by their position ({@code #1}, {@code #2}, ...)
   * in error messages.
   *
   * @see #fuse(List, List, double[])
   */
  static TrecRun fuse(List<TrecRun> runs, double[] weights) {
    return fuse(runs, null, weights);
  }

  /**
   * The weighted sum of per-query z-scores. The runs are meant to score the same candidates (rerankings
   * of one first-stage list), but a run may be cut off (a top-k file): a document that a run did not
   * retrieve for a query gets that run's lowest z-score for the query, as if tied with its last
   * document. Giving it the run's mean (z = 0) instead would rank it above every document the run
   * retrieved below the mean, rewarding a document for being left out. A run that ranks nothing for a
   * query adds nothing to it.
   *
   * @param names what error messages call each run (its file), or null to number them from 1
   * @throws IllegalArgumentException naming the run, query and document of a score that is not
   *     finite ({@link TrecRun#read} accepts {@code inf}, as trec_eval does), since a z-score of it is
   *     undefined
   */
  static TrecRun fuse(List<TrecRun> runs, List<String> names, double[] weights) {
    // Per query: each run's z-scores, and the union of the documents any run retrieved.
    Map<String, Set<String>> docids = new LinkedHashMap<>();
    List<Map<String, Map<String, Double>>> zScores = new ArrayList<>();
    for (int r = 0; r < runs.size(); r++) {
      TrecRun run = runs.get(r);
      String name = names == null ? "#" + (r + 1) : "'" + names.get(r) + "'";
      Map<String, Map<String, Double>> runZ = new HashMap<>();
      for (String qid : run.queryIds()) {
        List<ScoredDocument> ranking = run.ranking(qid);
        for (ScoredDocument d : ranking) {
          if (!Double.isFinite(d.score())) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                "run %s gives document '%s' of query '%s' the score %s; fusion z-normalises each query's"
                    + " scores, which needs finite ones", name, d.docid(), qid, d.score()));
          }
        }
        double mean = ranking.stream().mapToDouble(ScoredDocument::score).average().orElse(0);
        double variance =
            ranking.stream().mapToDouble(d -> (d.score() - mean) * (d.score() - mean)).average().orElse(0);
        double sd = variance > 0 ? Math.sqrt(variance) : 1;
        Map<String, Double> z = new HashMap<>();
        for (ScoredDocument d : ranking) {
          z.put(d.docid(), (d.score() - mean) / sd);
          docids.computeIfAbsent(qid, q -> new LinkedHashSet<>()).add(d.docid());
        }
        runZ.put(qid, z);
      }
      zScores.add(runZ);
    }
    Map<String, Map<String, Double>> sums = new LinkedHashMap<>();
    docids.forEach((qid, docs) -> {
      Map<String, Double> sum = sums.computeIfAbsent(qid, q -> new LinkedHashMap<>());
      for (int r = 0; r < runs.size(); r++) {
        Map<String, Double> z = zScores.get(r).get(qid);
        if (z == null || z.isEmpty()) {
          continue;
        }
        double lowest = z.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        for (String docid : docs) {
          sum.merge(docid, weights[r] * z.getOrDefault(docid, lowest), Double::sum);
        }
      }
    });
    TrecRun.Builder fused = TrecRun.builder();
    sums.forEach((qid, docs) -> docs.forEach((docid, score) -> fused.add(qid, docid, score)));
    return fused.build();
  }
}
