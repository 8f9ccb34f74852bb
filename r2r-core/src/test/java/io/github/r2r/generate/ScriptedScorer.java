package io.github.r2r.generate;

import java.util.Arrays;

/**
 * One row that wants the given tokens in turn and then {@code end}: the wanted token scores 0, every
 * other -10. Decoded greedily under a rule, it shows which wanted token the rule refused (the best of
 * what is left then wins; ties go to the lower id).
 */
final class ScriptedScorer implements TokenScorer {
  private final int vocab;
  private final long end;
  private final long[] wanted;
  private int step;

  ScriptedScorer(int vocab, long end, long... wanted) {
    this.vocab = vocab;
    this.end = end;
    this.wanted = wanted;
  }

  @Override
  public float[][] next(long[] lastTokens) {
    float[] row = new float[vocab];
    Arrays.fill(row, -10f);
    row[(int) (step < wanted.length ? wanted[step] : end)] = 0f;
    step++;
    return new float[][] {row};
  }

  @Override
  public void select(int[] rows) {}
}
