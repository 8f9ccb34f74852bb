package io.github.r2r;

import io.github.r2r.text.InputSequence;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Runs a model over many sequences in batches of similar length, so that dynamic padding wastes
 * little compute, and returns the results in the original order.
 */
final class LengthSortedBatches {
  private LengthSortedBatches() {}

  /**
   * @param model maps one batch to one result per sequence, in batch order
   * @return {@code results[i]} is the model's result for {@code sequences.get(i)}
   */
  static <R> List<R> run(
      List<InputSequence> sequences, int batchSize, Function<List<InputSequence>, List<R>> model) {
    Integer[] order = new Integer[sequences.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // Longest first: the first batch allocates the largest buffers, so later ones reuse memory.
    java.util.Arrays.sort(
        order, Comparator.<Integer>comparingInt(i -> -sequences.get(i).length()).thenComparingInt(i -> i));
    List<R> results = new ArrayList<>(java.util.Collections.nCopies(sequences.size(), null));
    for (int start = 0; start < order.length; start += batchSize) {
      int end = Math.min(order.length, start + batchSize);
      List<InputSequence> batch = new ArrayList<>(end - start);
      for (int k = start; k < end; k++) {
        batch.add(sequences.get(order[k]));
      }
      List<R> out = model.apply(batch);
      for (int k = start; k < end; k++) {
        results.set(order[k], out.get(k - start));
      }
    }
    return results;
  }
}
