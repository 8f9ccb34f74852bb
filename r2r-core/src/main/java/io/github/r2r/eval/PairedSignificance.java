package io.github.r2r.eval;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.SplittableRandom;

/**
 * Two-sided paired randomization test of a difference in mean between two systems measured on the
 * same queries (Fisher's sign-flip test; Smucker, Allan and Carterette 2007 recommend it for IR
 * evaluation). Under the null hypothesis that the systems are interchangeable, each query's difference
 * is as likely to have either sign; the p-value is the share of sign assignments whose mean difference
 * is at least as far from zero as the observed one.
 *
 * <p>Why it matters here: TREC DL benchmarks have 43-54 queries, so a gain of 0.01 nDCG@10 can be
 * noise; reports say how likely.
 *
 * <p>Up to {@value #EXACT_LIMIT} queries all 2^n assignments are enumerated (an exact p-value);
 * beyond, {@code trials} random assignments are drawn with the given seed and the p-value is {@code
 * (hits + 1) / (trials + 1)}, which counts the observed assignment and is never 0.
 */
public final class PairedSignificance {
  /** Largest number of queries for which every sign assignment is enumerated. */
  public static final int EXACT_LIMIT = 20;

  /**
   * The outcome: the mean difference (b − a), the two-sided p-value, and whether it was exact.
   *
   * @param meanDifference the mean per-query difference, system b minus system a
   * @param pValue the two-sided p-value, in (0, 1]
   * @param exact whether every sign assignment was enumerated (at most {@value #EXACT_LIMIT} queries)
   * @param queries the number of queries
   */
  public record Result(double meanDifference, double pValue, boolean exact, int queries) {}

  private PairedSignificance() {}

  /**
   * Tests whether the mean of {@code differences} is far enough from 0 to be unlikely by chance.
   *
   * @param differences per-query differences (system b minus system a), at least one
   * @param trials random assignments drawn when there are more than {@value #EXACT_LIMIT} queries;
   *     positive even when none are drawn
   * @param seed the random generator's seed, so that a report can be reproduced
   * @return the mean difference and its p-value
   * @throws IllegalArgumentException if {@code differences} is null or empty or holds a value that is
   *     not finite, or {@code trials} is not positive
   */
  public static Result test(double[] differences, int trials, long seed) {
    checkArgument(differences != null && differences.length > 0, "no per-query differences to test");
    checkArgument(trials > 0, "trials must be positive, got %s", trials);
    int n = differences.length;
    double observed = 0;
    for (double d : differences) {
      checkArgument(Double.isFinite(d), "per-query difference %s is not finite", d);
      observed += d;
    }
    // Sums are compared, not means (same n); a small tolerance keeps ties with the observed value as hits.
    double threshold = Math.abs(observed) - 1e-9 * Math.max(1, Math.abs(observed));
    if (n <= EXACT_LIMIT) {
      long hits = 0;
      long assignments = 1L << n;
      for (long signs = 0; signs < assignments; signs++) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
          sum += (signs >>> i & 1) == 0 ? differences[i] : -differences[i];
        }
        if (Math.abs(sum) >= threshold) {
          hits++;
        }
      }
      return new Result(observed / n, (double) hits / assignments, true, n);
    }
    SplittableRandom random = new SplittableRandom(seed);
    long hits = 0;
    for (int t = 0; t < trials; t++) {
      double sum = 0;
      for (double d : differences) {
        sum += random.nextBoolean() ? d : -d;
      }
      if (Math.abs(sum) >= threshold) {
        hits++;
      }
    }
    return new Result(observed / n, (hits + 1.0) / (trials + 1.0), false, n);
  }
}
