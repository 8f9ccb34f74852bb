package io.github.r2r.util;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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

  /**
   * Starts no thread yet: helpers are created as batches need them, up to {@code workers - 1}.
   *
   * @param workers the calling thread plus the helper threads, at least 1
   * @param threadName helper threads are named {@code threadName-1, threadName-2, ...}
   * @throws IllegalArgumentException if {@code workers} is less than 1
   */
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

  /** {@return the number of workers: the calling thread plus the helper threads} */
  public int workers() {
    return workers;
  }

  /**
   * Calls {@code batch.accept(b)} once for every {@code b} in {@code [0, batches)}, in increasing order of
   * start, and returns when all have finished. The first exception thrown by a batch is rethrown
   * (checked causes wrapped in an IllegalStateException); once one batch failed, no new batch starts.
   * An interrupt of the calling thread stops the call the same way: no new batch starts, and once the
   * batches running have finished the call throws an IllegalStateException whose cause is an {@link
   * InterruptedException}, with the thread's interrupt flag still set (also when the interrupt came
   * after the last batch had started: the call was cancelled, and its result is not returned). However
   * the call ends, no batch of it still runs when it does.
   *
   * @param batches how many batches, 0 or more
   * @param batch runs one batch, given its number; called from several threads at once when there are
   *     helpers
   * @throws IllegalArgumentException if {@code batches} is negative
   * @throws IllegalStateException if the calling thread was interrupted (see above)
   * @throws java.util.concurrent.RejectedExecutionException if this is closed and the call would hand
   *     batches to helper threads
   */
  public void run(int batches, IntConsumer batch) {
    checkArgument(batches >= 0, "batches must be non-negative, got %s", batches);
    Call call = new Call(batches, batch, Thread.currentThread());
    try {
      for (int h = 0; h < Math.min(workers - 1, batches - 1); h++) {
        helpers.execute(call::work);
      }
      call.work();
    } finally {
      call.stopAndAwaitBatches();
    }
    call.rethrowFailure();
  }

  /**
   * One {@link #run}: its batch numbers, the batches running and the first failure. The caller waits on
   * its own batches finishing, not on its helper tasks: a helper task may sit queued behind another
   * call's long batches after every batch of this call has finished, and then finds nothing left and
   * ends at once.
   */
  private static final class Call {
    private static final String INTERRUPTED = "interrupted while batches were running";
    private final int batches;
    private final IntConsumer batch;
    /** The thread that called {@link #run}: its interrupt stops the call (a helper's, at shutdown, does not). */
    private final Thread caller;
    private int next;
    private int running;
    private boolean stopped;
    private Throwable failure;

    Call(int batches, IntConsumer batch, Thread caller) {
      this.batches = batches;
      this.batch = batch;
      this.caller = caller;
    }

    /** Runs batches until none is left or the call stopped; records a failure rather than throw it. */
    void work() {
      for (int b = start(); b >= 0; b = start()) {
        Throwable thrown = null;
        try {
          batch.accept(b);
        } catch (Throwable t) {
          thrown = t;
        } finally {
          finish(thrown);
        }
      }
    }

    /**
     * The next batch number, now counted as running, or -1 when none is left or the call stopped. An
     * interrupted caller stops the call here, before its next batch: a caller whose Future was cancelled
     * is freed after the batches already running, not after all of them (minutes for a long call).
     */
    private synchronized int start() {
      if (!stopped && Thread.currentThread() == caller && caller.isInterrupted()) {
        stopped = true;
        if (failure == null) {
          failure = new IllegalStateException(INTERRUPTED, new InterruptedException());
        }
      }
      if (stopped || next >= batches) {
        return -1;
      }
      running++;
      return next++;
    }

    private synchronized void finish(Throwable thrown) {
      running--;
      if (thrown != null) {
        stopped = true;
        if (failure == null) {
          failure = thrown;
        }
      }
      notifyAll();
    }

    /**
     * Lets no further batch start and waits for those running, so that no batch of the call runs after
     * it ended. After {@link #work} returned none is left to start; the stop is for a call that ends
     * otherwise (a helper task it could not hand out). An interrupt does not cut the wait short, since
     * the batches would run on behind the call; it fails the call once they have finished.
     */
    synchronized void stopAndAwaitBatches() {
      stopped = true;
      boolean interrupted = false;
      while (running > 0) {
        try {
          wait();
        } catch (InterruptedException e) {
          if (!interrupted && failure == null) {
            failure = new IllegalStateException(INTERRUPTED, e);
          }
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    synchronized void rethrowFailure() {
      if (failure instanceof RuntimeException r) {
        throw r;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      if (failure != null) {
        throw new IllegalStateException(failure);
      }
    }
  }

  /**
   * Stops the helper threads. A later {@link #run} that would hand batches to them throws {@link
   * java.util.concurrent.RejectedExecutionException}; one with a single worker or batch still runs in
   * the caller.
   */
  @Override
  public void close() {
    if (helpers != null) {
      helpers.shutdownNow();
    }
  }
}
