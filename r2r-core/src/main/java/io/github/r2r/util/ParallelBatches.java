package io.github.r2r.util;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs numbered batches side by side: the calling thread and up to {@code helperCount} threads of a
 * pool each take the next batch number until none is left. The caller always works too, so a call
 * progresses even when the pool is busy with other calls.
 */
public final class ParallelBatches {
  private ParallelBatches() {}

  /**
   * A pool of {@code threads} helper threads named {@code name-1, name-2, ...}; daemon threads, so that
   * an owner that is never closed does not keep the JVM alive.
   */
  public static ExecutorService helperPool(int threads, String name) {
    checkArgument(threads >= 1, "a helper pool needs at least one thread, got %s", threads);
    AtomicInteger count = new AtomicInteger();
    return Executors.newFixedThreadPool(threads, task -> {
      Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Calls {@code batch.accept(b)} once for every {@code b} in {@code [0, batches)}, in increasing order of
   * start, and returns when all have finished. The first exception thrown by a batch is rethrown
   * (checked causes wrapped in an IllegalStateException); once one batch failed, no new batch starts.
   *
   * @param helpers pool to borrow helper threads from; null to run every batch in the calling thread
   * @param helperCount how many pool threads this call may use (0 with a null pool)
   */
  public static void run(int batches, IntConsumer batch, ExecutorService helpers, int helperCount) {
    checkArgument(batches >= 0, "batches must be non-negative, got %s", batches);
    checkArgument(helperCount >= 0, "helperCount must be non-negative, got %s", helperCount);
    checkArgument(helpers != null || helperCount == 0, "%s helpers were asked for without a pool", helperCount);
    AtomicInteger next = new AtomicInteger();
    Runnable worker = () -> {
      for (int b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
        batch.accept(b);
      }
    };
    List<Future<?>> helping = new ArrayList<>();
    for (int h = 0; h < Math.min(helperCount, batches - 1); h++) {
      helping.add(helpers.submit(worker));
    }
    RuntimeException failure = null;
    try {
      worker.run();
    } catch (RuntimeException e) {
      failure = e;
      next.set(batches);
    }
    for (Future<?> f : helping) {
      try {
        f.get();
      } catch (ExecutionException e) {
        next.set(batches);
        if (failure == null) {
          failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while batches were running", e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
