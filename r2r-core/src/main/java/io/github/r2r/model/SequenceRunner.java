package io.github.r2r.model;

import static com.google.common.base.Preconditions.checkArgument;

import io.github.r2r.text.InputSequence;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs a model over sequences in batches of its choosing (in order, length-sorted, side by side) and
 * returns one result per sequence, in input order. Lets code that encodes text leave the batching to
 * its caller: the Reranker passes its length-sorted, parallel batches, a trainer a plain loop.
 */
public interface SequenceRunner {
  /**
   * Runs {@code perBatch} over batches of {@code sequences}.
   *
   * @param <R> the result per sequence
   * @param sequences the sequences to run
   * @param perBatch maps one batch to one result per sequence, in batch order
   * @return {@code results[i]} is the result for {@code sequences.get(i)}
   */
  <R> List<R> run(List<InputSequence> sequences, Function<List<InputSequence>, List<R>> perBatch);

  /**
   * Batches of {@code batchSize} sequences in input order, one after the other, on the calling thread.
   *
   * @param batchSize sequences per batch, at least 1 (the last batch may be smaller)
   * @return the runner; its {@code run} throws {@link IllegalArgumentException} when {@code perBatch}
   *     returns a wrong number of results
   * @throws IllegalArgumentException if {@code batchSize} is less than 1
   */
  static SequenceRunner inOrder(int batchSize) {
    checkArgument(batchSize >= 1, "batchSize must be positive, got %s", batchSize);
    return new SequenceRunner() {
      @Override
      public <R> List<R> run(List<InputSequence> sequences, Function<List<InputSequence>, List<R>> perBatch) {
        List<R> out = new ArrayList<>(sequences.size());
        for (int start = 0; start < sequences.size(); start += batchSize) {
          List<InputSequence> batch = sequences.subList(start, Math.min(sequences.size(), start + batchSize));
          List<R> results = perBatch.apply(batch);
          checkArgument(results.size() == batch.size(), "%s results for a batch of %s", results.size(), batch.size());
          out.addAll(results);
        }
        return out;
      }
    };
  }
}
