package io.github.r2r.examples;

import io.github.r2r.eval.EvaluationResult;
import io.github.r2r.eval.Evaluator;
import io.github.r2r.eval.PairedSignificance;
import io.github.r2r.eval.Qrels;
import io.github.r2r.eval.TrecRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares two TREC runs on the same queries: each one's mean, the difference, per-query wins and
 * losses, and the two-sided p-value of a paired randomization test ({@link PairedSignificance}).
 *
 * <pre>
 * CompareRuns --qrels ../shared/data/trec-dl19-passage/qrels.txt --baseline a.run --run b.run
 *             [--measure ndcg@10] [--trials 100000] [--seed 1]
 * </pre>
 *
 * Runs come from {@code EvaluateTrec --out}. Both must hold the same evaluated queries.
 */
public final class CompareRuns {
  private static final String USAGE =
      "usage: CompareRuns --qrels QRELS --baseline RUN --run RUN [--measure ndcg@10] [--trials N] [--seed N]";

  private CompareRuns() {}

  public static void main(String[] args) throws IOException {
    CommandLine.runMain(USAGE, args, CompareRuns::run);
  }

  /** The program on {@code args}: what {@link #main} runs, and what tests call. */
  static void run(String[] args) throws IOException {
    CommandLine cli = new CommandLine(args, Set.of("qrels", "baseline", "run", "measure", "trials", "seed"));
    // Every option is checked before the files are read.
    Path qrelsFile = Path.of(cli.required("qrels"));
    Path baselineFile = Path.of(cli.required("baseline"));
    Path runFile = Path.of(cli.required("run"));
    String measure = cli.optional("measure").orElse("ndcg@10");
    int trials = cli.intAtLeast("trials", 100_000, 1);
    long seed = seed(cli);
    Qrels qrels = Qrels.read(qrelsFile);
    Evaluator evaluator = Evaluator.trecDeepLearningPassage();
    EvaluationResult a = evaluator.evaluate(qrels, TrecRun.read(baselineFile));
    EvaluationResult b = evaluator.evaluate(qrels, TrecRun.read(runFile));
    Comparison c;
    try {
      c = compare(a, b, measure, trials, seed);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    PairedSignificance.Result r = c.significance();
    int queries = r.queries();
    System.out.printf(Locale.ROOT, "%-10s %s over %d queries%n", "measure", measure, queries);
    System.out.printf(Locale.ROOT, "%-10s %.4f  %s%n", "baseline", a.mean(measure), cli.required("baseline"));
    System.out.printf(Locale.ROOT, "%-10s %.4f  %s%n", "run", b.mean(measure), cli.required("run"));
    System.out.printf(Locale.ROOT, "%-10s %+.4f (run better on %d queries, worse on %d, equal on %d)%n",
        "difference", r.meanDifference(), c.wins(), c.losses(), queries - c.wins() - c.losses());
    System.out.printf(Locale.ROOT, "%-10s %.4f (two-sided paired randomization test, %s)%n", "p-value", r.pValue(),
        r.exact() ? "exact" : trials + " random sign assignments, seed " + seed);
  }

  /** {@code --seed}: any {@code long}, as {@link PairedSignificance#test} takes it; 1 when not given. */
  static long seed(CommandLine cli) {
    String value = cli.optional("seed").orElse("1");
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new UsageException("--seed must be an integer, got '" + value + "'");
    }
  }

  /** Per-query wins and losses of the run over the baseline, and the test of the mean difference. */
  record Comparison(int wins, int losses, PairedSignificance.Result significance) {}

  /**
   * @throws IllegalArgumentException when the measure is unknown or the two results cover different
   *     queries
   */
  static Comparison compare(EvaluationResult baseline, EvaluationResult run, String measure, int trials, long seed) {
    if (!baseline.measureNames().contains(measure)) {
      throw new IllegalArgumentException("--measure must be one of " + baseline.measureNames() + ", got " + measure);
    }
    if (!baseline.queryIds().equals(run.queryIds())) {
      Set<String> onlyBaseline = new TreeSet<>(baseline.queryIds());
      onlyBaseline.removeAll(run.queryIds());
      Set<String> onlyRun = new TreeSet<>(run.queryIds());
      onlyRun.removeAll(baseline.queryIds());
      throw new IllegalArgumentException("the runs evaluate different queries: only in the baseline " + onlyBaseline
          + ", only in the run " + onlyRun);
    }
    List<String> qids = List.copyOf(new TreeSet<>(baseline.queryIds()));
    double[] differences = new double[qids.size()];
    int wins = 0;
    int losses = 0;
    for (int i = 0; i < differences.length; i++) {
      differences[i] = run.perQuery(qids.get(i)).get(measure) - baseline.perQuery(qids.get(i)).get(measure);
      wins += differences[i] > 0 ? 1 : 0;
      losses += differences[i] < 0 ? 1 : 0;
    }
    return new Comparison(wins, losses, PairedSignificance.test(differences, trials, seed));
  }
}
