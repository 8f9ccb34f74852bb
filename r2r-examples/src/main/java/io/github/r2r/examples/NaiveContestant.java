package io.github.r2r.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.text.InputSequence;
import io.github.r2r.text.PaddedBatch;
import io.github.r2r.util.ParallelBatches;
import java.util.List;

/**
 * The naive baseline: our encoder's op-by-op path ({@link RankingModel#hiddenStates}, as written for
 * training), windows in input order (no length sorting), every batch padded to the longest input of the
 * request. With several workers its batches run side by side as the Reranker's do, so that the
 * comparison measures the inference path and the batching, not the thread scheduling.
 */
final class NaiveContestant implements Contestant {
  private final RankingModel model;
  private final int batchSize;
  private final ParallelBatches workers;

  NaiveContestant(RankingModel model, int batchSize, int workers) {
    this.model = model;
    this.batchSize = batchSize;
    this.workers = new ParallelBatches(workers, "naive");
  }

  @Override
  public String name() {
    return "naive";
  }

  @Override
  public float[] score(String query, List<String> documents) {
    ScoringInputs inputs = ScoringInputs.of(model, query, documents);
    List<InputSequence> windows = inputs.windows();
    int width = windows.stream().mapToInt(InputSequence::length).max().orElseThrow();
    boolean cross = model.config().scoring() == ScoringMode.CROSS_ENCODER;
    float[] queryEmbedding = cross ? null : run(List.of(inputs.query()), inputs.query().length(), false)[0];
    float[] windowScores = new float[windows.size()];
    int batches = (windows.size() + batchSize - 1) / batchSize;
    workers.run(batches, b -> {
      int start = b * batchSize;
      List<InputSequence> batch = windows.subList(start, Math.min(windows.size(), start + batchSize));
      float[][] out = run(batch, width, cross);
      float[] scores = cross ? out[0] : ScoringInputs.dots(queryEmbedding, out);
      System.arraycopy(scores, 0, windowScores, start, scores.length);
    });
    return inputs.maxPerDocument(windowScores, documents.size());
  }

  @Override
  public void close() {
    workers.close();
  }

  /** Cross-encoder: {@code [logits]}; bi-encoder: one L2-normalised embedding per sequence. */
  private float[][] run(List<InputSequence> batch, int width, boolean cross) {
    try (NDManager scope = model.manager().newSubManager()) {
      NDList inputs = new PaddedBatch(batch, width).toNDList(scope);
      ParameterStore ps = new ParameterStore(scope, false);
      if (cross) {
        return new float[][] {model.crossLogits(ps, inputs, false).toFloatArray()};
      }
      NDArray pooled = model.pooledEmbedding(ps, inputs, false);
      float[] flat = pooled.div(pooled.norm(new int[] {1}, true).maximum(1e-12f)).toFloatArray();
      int dim = (int) pooled.getShape().get(1);
      float[][] rows = new float[batch.size()][dim];
      for (int r = 0; r < rows.length; r++) {
        System.arraycopy(flat, r * dim, rows[r], 0, dim);
      }
      return rows;
    }
  }
}
