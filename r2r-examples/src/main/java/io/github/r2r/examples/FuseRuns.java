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
 * they are added. Used to measure whether combining encoders helps, with the weights chosen on one
 * benchmark (DL21) and then applied unchanged to another (DL19).
 *
 * <pre>
 * FuseRuns --qrels qrels.txt --runs a.run,b.run --weights 1,0.5 [--out fused.run]
 * </pre>
 */
public final class FuseRuns {
  private static final String USAGE =
      "usage: FuseRuns --qrels QRELS --runs RUN[,RUN...] [--weights W[,W...]] [--out FUSED_RUN]";

  private FuseRuns() {}

  public static void main(String[] args) throws IOException {
    CommandLine.runMain(USAGE, args, FuseRuns::run);
  }

  /** The program on {@code args}: what {@link #main} runs, and what tests call. */
  static void run(String[] args) throws IOException {
    CommandLine cli = new CommandLine(args, Set.of("qrels", "runs", "weights", "out"));
    String[] runPaths = cli.required("runs").split(",");
    double[] weights = weights(cli, runPaths.length);
    Qrels qrels = Qrels.read(Path.of(cli.required("qrels")));
    List<TrecRun> runs = new ArrayList<>();
    for (String path : runPaths) {
      runs.add(TrecRun.read(Path.of(path)));
    }
    TrecRun fused = fuse(runs, weights);
    EvaluationResult result = Evaluator.trecDeepLearningPassage().evaluate(qrels, fused);
    StringBuilder line = new StringBuilder();
    for (Map.Entry<String, Double> e : result.means().entrySet()) {
      line.append(String.format(Locale.ROOT, "%s %.4f  ", e.getKey(), e.getValue()));
    }
    System.out.println(line.toString().strip() + "  queries " + result.queryCount());
    if (cli.optional("out").isPresent()) {
      fused.write(Path.of(cli.optional("out").get()), "r2r-fused");
    }
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
   * The weighted sum of per-query z-scores. The runs are meant to score the same candidates (rerankings
   * of one first-stage list); a document missing from a run gets no contribution from it.
   */
  static TrecRun fuse(List<TrecRun> runs, double[] weights) {
    Map<String, Map<String, Double>> sums = new HashMap<>();
    for (int r = 0; r < runs.size(); r++) {
      TrecRun run = runs.get(r);
      for (String qid : run.queryIds()) {
        List<ScoredDocument> ranking = run.ranking(qid);
        double mean = ranking.stream().mapToDouble(ScoredDocument::score).average().orElse(0);
        double variance =
            ranking.stream().mapToDouble(d -> (d.score() - mean) * (d.score() - mean)).average().orElse(0);
        double sd = variance > 0 ? Math.sqrt(variance) : 1;
        Map<String, Double> sum = sums.computeIfAbsent(qid, q -> new HashMap<>());
        for (ScoredDocument d : ranking) {
          sum.merge(d.docid(), weights[r] * (d.score() - mean) / sd, Double::sum);
        }
      }
    }
    TrecRun.Builder fused = TrecRun.builder();
    sums.forEach((qid, docs) -> docs.forEach((docid, score) -> fused.add(qid, docid, score)));
    return fused.build();
  }
}
