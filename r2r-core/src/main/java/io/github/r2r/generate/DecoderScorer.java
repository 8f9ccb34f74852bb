package io.github.r2r.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import io.github.r2r.model.BFloat16Product;

/**
 * A {@link TokenScorer} over a {@link ReasonDecoder} and its key/value cache, inside one memory scope.
 * With a copy bias, each row's log-probabilities of the tokens of its own input are raised by the bias
 * (rows are followed through {@link #select} to the input they belong to).
 *
 * <p>Each {@link #next} and {@link #select} runs in an {@link NDScope} of its own that closes every array
 * it made except what the {@link DecoderState} keeps: a step makes about a hundred arrays (logits over
 * the whole vocabulary among them), which would otherwise stay alive until the call's memory scope
 * closes.
 */
final class DecoderScorer implements TokenScorer {
  private final ReasonDecoder decoder;
  private final ParameterStore ps;
  private final NDArray wordTable;
  private final BFloat16Product outputProduct;
  private final DecoderState state;
  private final NDManager scope;
  private final int vocab;
  private final float copyBias;
  private final int[][] inputTokens;
  private final long[][] inputIds;
  private final float[] copyMass;
  private final WordContinuations[] wordRules;
  private int[] rowInput;

  /**
   * @param outputProduct a bfloat16 copy of {@code wordTable} for the output product, or null for
   *     float32 (see {@link ReasonDecoder#step(ParameterStore, NDArray, BFloat16Product, NDArray,
   *     DecoderState)})
   * @param inputTokens per input, the distinct token ids the copy bias raises (may be empty arrays)
   * @param inputIds per input, its token ids padded to the encoder batch width (where copy attention
   *     points)
   * @param wordRules per input, where its word pieces may be copied ({@link DecodingOptions#wholeWordCopies});
   *     null to leave pieces unconstrained
   */
  DecoderScorer(
      ReasonDecoder decoder,
      ParameterStore ps,
      NDArray wordTable,
      BFloat16Product outputProduct,
      DecoderState state,
      NDManager scope,
      float copyBias,
      int[][] inputTokens,
      long[][] inputIds,
      WordContinuations[] wordRules) {
    this.decoder = decoder;
    this.wordRules = wordRules;
    this.inputIds = inputIds;
    this.copyBias = copyBias;
    this.inputTokens = inputTokens;
    this.rowInput = new int[inputTokens.length];
    for (int i = 0; i < rowInput.length; i++) {
      rowInput[i] = i;
    }
    this.ps = ps;
    this.wordTable = wordTable;
    this.outputProduct = outputProduct;
    this.state = state;
    this.scope = scope;
    this.vocab = (int) wordTable.getShape().get(0);
    this.copyMass = new float[vocab];
  }

  @Override
  public float[][] next(long[] lastTokens) {
    float[][] rows = new float[lastTokens.length][vocab];
    try (NDScope step = new NDScope()) {
      NDArray ids = scope.create(lastTokens, new Shape(lastTokens.length));
      ReasonDecoder.Output out = decoder.step(ps, wordTable, outputProduct, ids, state);
      float[] vocabLogProbs = out.logits().logSoftmax(-1).toFloatArray();
      for (int r = 0; r < rows.length; r++) {
        System.arraycopy(vocabLogProbs, r * vocab, rows[r], 0, vocab);
      }
      if (out.copyScores() != null) {
        float[] attention = out.copyScores().softmax(-1).toFloatArray();
        float[] generate = Activation.sigmoid(out.gateLogits()).toFloatArray();
        for (int r = 0; r < rows.length; r++) {
          mixCopies(rows[r], attention, r, generate[r]);
        }
      }
    }
    if (copyBias > 0) {
      for (int r = 0; r < rows.length; r++) {
        for (int token : inputTokens[rowInput[r]]) {
          rows[r][token] += copyBias;
        }
      }
    }
    if (wordRules != null) {
      for (int r = 0; r < rows.length; r++) {
        wordRules[rowInput[r]].ban(lastTokens[r], rows[r]);
      }
    }
    return rows;
  }

  /**
   * Turns row {@code r}'s vocabulary log-probabilities into those of the mixture {@code g p_vocab + (1 -
   * g) p_copy}, where {@code p_copy(w)} sums the copy attention over the input positions holding w.
   */
  private void mixCopies(float[] row, float[] attention, int r, float generate) {
    long[] ids = inputIds[rowInput[r]];
    int width = ids.length;
    float logGenerate = (float) Math.log(Math.max(generate, 1e-30f));
    for (int v = 0; v < row.length; v++) {
      row[v] += logGenerate;
    }
    for (int s = 0; s < width; s++) {
      copyMass[(int) ids[s]] += attention[r * width + s];
    }
    for (int s = 0; s < width; s++) {
      int token = (int) ids[s];
      float mass = copyMass[token];
      if (mass > 0) {
        row[token] = (float) Math.log(Math.exp(row[token]) + (1 - generate) * (double) mass);
        copyMass[token] = 0;
      }
    }
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
    try (NDScope selecting = new NDScope()) {
      state.select(scope.create(indices, new Shape(indices.length)));
    }
  }
}
