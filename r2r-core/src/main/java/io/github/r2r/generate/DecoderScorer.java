package io.github.r2r.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/** A {@link TokenScorer} over a {@link ReasonDecoder} and its key/value cache, inside one memory scope. */
final class DecoderScorer implements TokenScorer {
  private final ReasonDecoder decoder;
  private final ParameterStore ps;
  private final NDArray wordTable;
  private final DecoderState state;
  private final NDManager scope;
  private final int vocab;

  DecoderScorer(ReasonDecoder decoder, ParameterStore ps, NDArray wordTable, DecoderState state, NDManager scope) {
    this.decoder = decoder;
    this.ps = ps;
    this.wordTable = wordTable;
    this.state = state;
    this.scope = scope;
    this.vocab = (int) wordTable.getShape().get(0);
  }

  @Override
  public float[][] next(long[] lastTokens) {
    NDArray ids = scope.create(lastTokens, new Shape(lastTokens.length));
    float[] flat;
    try (NDArray logits = decoder.step(ps, wordTable, ids, state);
        NDArray logProbs = logits.logSoftmax(-1)) {
      flat = logProbs.toFloatArray();
    }
    float[][] rows = new float[lastTokens.length][vocab];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(flat, r * vocab, rows[r], 0, vocab);
    }
    return rows;
  }

  @Override
  public void select(int[] rows) {
    long[] indices = new long[rows.length];
    for (int i = 0; i < rows.length; i++) {
      indices[i] = rows[i];
    }
    state.select(scope.create(indices, new Shape(indices.length)));
  }
}
