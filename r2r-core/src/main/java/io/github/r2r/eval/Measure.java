package io.github.r2r.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One named evaluation measure: {@code ndcg@k}, {@code mrr@k}, {@code recall@k} or {@code map} (see
 * {@link Metrics} for the definitions). The name is the key of the measure in an {@link
 * EvaluationResult}.
 */
public final class Measure {
  private static final Pattern NAME = Pattern.compile("(ndcg|mrr|recall)@([1-9][0-9]*)|map");

  private enum Kind {
    NDCG,
    MRR,
    RECALL,
    MAP
  }

  private final Kind kind;
  private final int cutoff;

  private Measure(Kind kind, int cutoff) {
    this.kind = kind;
    this.cutoff = cutoff;
  }

  /**
   * nDCG at cutoff k, trec_eval {@code ndcg_cut.k}.
   *
   * @param k the cutoff, at least 1
   * @return the measure {@code ndcg@k}
   * @throws IllegalArgumentException if {@code k} is less than 1
   */
  public static Measure ndcgAt(int k) {
    return new Measure(Kind.NDCG, checkCutoff(k));
  }

  /**
   * Reciprocal rank of the first relevant document within the top k (MRR@k when averaged).
   *
   * @param k the cutoff, at least 1
   * @return the measure {@code mrr@k}
   * @throws IllegalArgumentException if {@code k} is less than 1
   */
  public static Measure mrrAt(int k) {
    return new Measure(Kind.MRR, checkCutoff(k));
  }

  /**
   * Recall at cutoff k, trec_eval {@code recall.k}.
   *
   * @param k the cutoff, at least 1
   * @return the measure {@code recall@k}
   * @throws IllegalArgumentException if {@code k} is less than 1
   */
  public static Measure recallAt(int k) {
    return new Measure(Kind.RECALL, checkCutoff(k));
  }

  /** {@return average precision without cutoff, trec_eval {@code map}} */
  public static Measure map() {
    return new Measure(Kind.MAP, 0);
  }

  /**
   * The measure with this name ({@code "ndcg@10"}, {@code "mrr@10"}, {@code "recall@100"}, {@code
   * "map"}).
   *
   * @param name the name, lower case; k without leading zeros
   * @return the measure
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException for any other name
   */
  public static Measure parse(String name) {
    checkNotNull(name, "name");
    Matcher matcher = NAME.matcher(name);
    checkArgument(
        matcher.matches(),
        "unknown measure '%s': expected ndcg@k, mrr@k, recall@k (k >= 1) or map",
        name);
    if (matcher.group(1) == null) {
      return map();
    }
    int k = Integer.parseInt(matcher.group(2));
    switch (matcher.group(1)) {
      case "ndcg":
        return ndcgAt(k);
      case "mrr":
        return mrrAt(k);
      default:
        return recallAt(k);
    }
  }

  /** {@return the key of this measure, e.g. {@code "ndcg@10"} or {@code "map"}; {@link #parse} reads it} */
  public String name() {
    String base = kind.name().toLowerCase(Locale.ROOT);
    return kind == Kind.MAP ? base : base + "@" + cutoff;
  }

  /**
   * The value of this measure for one query; see {@link Metrics}.
   *
   * @param ranking retrieved document ids, best first, without repeats
   * @param judgments the query's judgments, document id to grade
   * @param relevanceThreshold the lowest grade that counts as relevant, at least 1; nDCG, which uses
   *     the grades themselves, ignores it
   * @return the value in [0, 1]
   * @throws IllegalArgumentException if {@code ranking} repeats a document, or the measure reads the
   *     threshold and it is less than 1
   */
  public double compute(
      List<String> ranking, Map<String, Integer> judgments, int relevanceThreshold) {
    switch (kind) {
      case NDCG:
        return Metrics.ndcgAt(cutoff, ranking, judgments);
      case MRR:
        return Metrics.reciprocalRankAt(cutoff, ranking, judgments, relevanceThreshold);
      case RECALL:
        return Metrics.recallAt(cutoff, ranking, judgments, relevanceThreshold);
      default:
        return Metrics.averagePrecision(ranking, judgments, relevanceThreshold);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Measure
        && ((Measure) other).kind == kind
        && ((Measure) other).cutoff == cutoff;
  }

  @Override
  public int hashCode() {
    return 31 * kind.hashCode() + cutoff;
  }

  @Override
  public String toString() {
    return name();
  }

  private static int checkCutoff(int k) {
    checkArgument(k >= 1, "cutoff must be at least 1, got %s", k);
    return k;
  }
}
