package io.github.r2r.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * A {@link TokenScorer} over a {@link ReasonDecoder} and its key/value cache, inside one memory scope.
 * With a copy bias, each row's log-probabilities of the tokens of its own input are raised by the bias
 * (rows are followed through {@link #select} to the input they belong to).
 */
final class DecoderScorer implements TokenScorer {
  private final ReasonDecoder decoder;
  private final ParameterStore ps;
  private final NDArray wordTable;
  private final DecoderState state;
  private final NDManager scope;
  private final int vocab;
  private final float copyBias;
  private final int[][] inputTokens;
  private int[] rowInput;

  /**
   * @param inputTokens per input, the distinct token ids the copy bias raises (may be empty arrays)
   */
  DecoderScorer(
      ReasonDecoder decoder,
      ParameterStore ps,
      NDArray wordTable,
      DecoderState state,
      NDManager scope,
      float copyBias,
      int[][] inputTokens) {
    this.decoder = decoder;
    this.copyBias = copyBias;
    this.inputTokens = inputTokens;
    this.rowInput = new int[inputTokens.length];
    for (int i = 0; i < rowInput.length; i++) {
      rowInput[i] = i;
    }
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
      if (copyBias > 0) {
        for (int token : inputTokens[rowInput[r]]) {
          rows[r][token] += copyBias;
        }
      }
    }
    return rows;
  }

  @Override
  public void select(int[] rows) {
    long[] indices = new long[rows.length];
    int[] inputs = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      indices[i] = rows[i];
      inputs[i] = rowInput[rows[i]];
    }
    rowInput = inputs;
    state.select(scope.create(indices, new Shape(indices.length)));
  }
}
