package io.github.r2r.generate;

/**
 * Next-token log-probabilities for a set of partial sequences (rows) that grow one token at a time:
 * the interface between a search strategy ({@link SequenceSearch}) and a model, so the search can be
 * tested on hand-made distributions.
 */
public interface TokenScorer {
  /**
   * Appends {@code lastTokens[r]} to row {@code r} and returns, per row, the log-probability of every
   * vocabulary entry as the next token.
   *
   * @param lastTokens one token per current row
   * @return {@code [rows][vocab]} log-probabilities, one row per current row (-infinity rules a token out)
   */
  float[][] next(long[] lastTokens);

  /**
   * Keeps rows {@code rows} in that order (repeats allowed); row {@code i} becomes old row {@code rows[i]}.
   *
   * @param rows indices of current rows
   */
  void select(int[] rows);
}
