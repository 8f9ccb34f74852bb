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
 * Runs numbered batches side by side on a fixed number of workers: the calling thread and {@code
 * workers - 1} helper threads each take the next batch number until none is left. The caller always
 * works too, so a call progresses even when the helpers are busy with other calls. With one worker
 * there are no helper threads and batches run one after the other in the caller.
 *
 * <p>Thread-safe; helpers are daemon threads, so that an owner that is never closed does not keep the
 * JVM alive.
 */
public final class ParallelBatches implements AutoCloseable {
  private final int workers;
  private final ExecutorService helpers;

  /** @param threadName helper threads are named {@code threadName-1, threadName-2, ...} */
  public ParallelBatches(int workers, String threadName) {
    checkArgument(workers >= 1, "workers must be positive, got %s", workers);
    this.workers = workers;
    AtomicInteger count = new AtomicInteger();
    this.helpers = workers == 1 ? null : Executors.newFixedThreadPool(workers - 1, task -> {
      Thread thread = new Thread(task, threadName + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** The calling thread plus the helper threads. */
  public int workers() {
    return workers;
  }

  /**
   * Calls {@code batch.accept(b)} once for every {@code b} in {@code [0, batches)}, in increasing order of
   * start, and returns when all have finished. The first exception thrown by a batch is rethrown
   * (checked causes wrapped in an IllegalStateException); once one batch failed, no new batch starts.
   */
  public void run(int batches, IntConsumer batch) {
    checkArgument(batches >= 0, "batches must be non-negative, got %s", batches);
    AtomicInteger next = new AtomicInteger();
    Runnable worker = () -> {
      for (int b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
        batch.accept(b);
      }
    };
    List<Future<?>> helping = new ArrayList<>();
    for (int h = 0; h < Math.min(workers - 1, batches - 1); h++) {
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

  /** Stops the helper threads; later calls fail. */
  @Override
  public void close() {
    if (helpers != null) {
      helpers.shutdownNow();
    }
  }
}
