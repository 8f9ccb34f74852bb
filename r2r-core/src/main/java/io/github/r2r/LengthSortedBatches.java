package io.github.r2r;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import io.github.r2r.model.SequenceRunner;
import io.github.r2r.text.InputSequence;
import io.github.r2r.util.ParallelBatches;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Runs a model over many sequences in batches of similar length, so that dynamic padding wastes
 * little compute, and returns the results in the original order.
 *
 * <p>With several workers, the batches of one call run side by side: the calling thread and the
 * other workers each take the next batch until none is left. On a CPU this pays when
 * each op runs on one engine thread: whole batches in parallel keep every core busy with large
 * matrix products, where splitting each op across cores leaves them waiting on each other at every
 * small op (docs/performance.md). The batches, and so the results, are the same either way.
 */
final class LengthSortedBatches implements SequenceRunner {
  private final int batchSize;
  private final ParallelBatches workers;

  /** @param workers runs a call's batches, side by side if it has more than one worker */
  LengthSortedBatches(int batchSize, ParallelBatches workers) {
    checkArgument(batchSize >= 1, "batchSize must be positive, got %s", batchSize);
    this.batchSize = batchSize;
    this.workers = checkNotNull(workers, "workers");
  }

  /** The workers that run a call's batches; also for work that must come before the batches. */
  ParallelBatches workers() {
    return workers;
  }

  /**
   * @param model maps one batch to one result per sequence, in batch order; called from several
   *     threads at once when there are several workers
   * @return {@code results[i]} is the model's result for {@code sequences.get(i)}
   */
  @Override
  public <R> List<R> run(List<InputSequence> sequences, Function<List<InputSequence>, List<R>> model) {
    Integer[] order = new Integer[sequences.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // Longest first: the first batch allocates the largest buffers, so later ones reuse memory.
    Arrays.sort(order, Comparator.<Integer>comparingInt(i -> -sequences.get(i).length()).thenComparingInt(i -> i));
    // Rounded up without adding first, which would overflow for a batch size near Integer.MAX_VALUE.
    int batches = order.length / batchSize + (order.length % batchSize == 0 ? 0 : 1);
    // Batches write disjoint slots; run() returns after every batch finished, which publishes them.
    List<R> results = new ArrayList<>(Collections.nCopies(sequences.size(), null));
    workers.run(batches, b -> {
      int start = b * batchSize;
      int end = (int) Math.min(order.length, (long) start + batchSize);
      List<InputSequence> batch = new ArrayList<>(end - start);
      for (int k = start; k < end; k++) {
        batch.add(sequences.get(order[k]));
      }
      List<R> out = model.apply(batch);
      for (int k = start; k < end; k++) {
        results.set(order[k], out.get(k - start));
      }
    });
    return results;
  }
}
