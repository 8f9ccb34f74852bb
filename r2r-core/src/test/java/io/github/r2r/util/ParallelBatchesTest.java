package io.github.r2r.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How calls of {@link ParallelBatches} wait: for their own batches, and always for all of them. */
class ParallelBatchesTest {
  /** A bound on waits that only a broken {@link ParallelBatches} reaches. */
  private static final long PATIENCE_SECONDS = 10;

  /** The calling thread and one helper thread. */
  private ParallelBatches twoWorkers;

  @BeforeEach
  void setUp() {
    twoWorkers = new ParallelBatches(2, "parallel-batches-test");
  }

  @AfterEach
  void tearDown() {
    twoWorkers.close();
  }

  @Test
  void aCallThatRanAllItsBatchesDoesNotWaitForItsHelperTaskQueuedBehindAnotherCall()
      throws InterruptedException {
    CountDownLatch longBatchesRunning = new CountDownLatch(2);
    CountDownLatch releaseLongBatches = new CountDownLatch(1);
    // Both of its batches run at once, so the one helper thread is busy with one of them.
    Call longCall = new Call();
    longCall.start(twoWorkers, 2, b -> {
      longBatchesRunning.countDown();
      await(releaseLongBatches);
    });
    try {
      assertTrue(longBatchesRunning.await(PATIENCE_SECONDS, TimeUnit.SECONDS), "the long call's batches never ran");
      List<Integer> shortBatches = new CopyOnWriteArrayList<>();
      Call shortCall = new Call();
      shortCall.start(twoWorkers, 3, shortBatches::add);
      assertTrue(shortCall.returned.await(PATIENCE_SECONDS, TimeUnit.SECONDS),
          "the short call waited for its helper task, queued behind the long call's batches");
      assertNull(shortCall.failure.get());
      assertEquals(List.of(0, 1, 2), shortBatches, "the short call's own thread ran all its batches");
      assertEquals(1, longCall.returned.getCount(), "the long call's batches are still running");
    } finally {
      releaseLongBatches.countDown();
    }
    assertTrue(longCall.returned.await(PATIENCE_SECONDS, TimeUnit.SECONDS));
    assertNull(longCall.failure.get());
  }

  @Test
  void anErrorInTheCallersBatchStopsTheCallWhichStillWaitsForTheHelpersBatch() throws InterruptedException {
    Error error = new Error("the caller's batch failed");
    CountDownLatch helperRunning = new CountDownLatch(1);
    Set<Integer> started = ConcurrentHashMap.newKeySet();
    Call call = new Call();
    call.start(twoWorkers, 6, b -> {
      started.add(b);
      if (call.isCaller()) {
        await(helperRunning);
        throw error;
      }
      helperRunning.countDown();
      call.finishHelperBatchOnceReturnedOrAfterASecond();
    });
    assertTrue(call.returned.await(PATIENCE_SECONDS, TimeUnit.SECONDS));
    assertSame(error, call.failure.get(), "the Error itself, not wrapped");
    assertTrue(call.helperBatchFinishedWhenReturned.get(), "the call returned before the helper's batch finished");
    assertEquals(Set.of(0, 1), started, "no batch started after the failure");
  }

  @Test
  void anInterruptedCallWaitsForTheHelpersBatchAndThenFails() throws InterruptedException {
    CountDownLatch helperRunning = new CountDownLatch(1);
    CountDownLatch callerBatchDone = new CountDownLatch(1);
    Call call = new Call();
    call.start(twoWorkers, 2, b -> {
      if (call.isCaller()) {
        await(helperRunning);
        callerBatchDone.countDown();
        return;
      }
      helperRunning.countDown();
      call.finishHelperBatchOnceReturnedOrAfterASecond();
    });
    assertTrue(callerBatchDone.await(PATIENCE_SECONDS, TimeUnit.SECONDS));
    call.thread.interrupt(); // while the caller waits for the helper's batch (or just before)
    assertTrue(call.returned.await(PATIENCE_SECONDS, TimeUnit.SECONDS));
    Throwable failure = call.failure.get();
    assertTrue(failure instanceof IllegalStateException, "failed with " + failure);
    assertEquals("interrupted while batches were running", failure.getMessage());
    assertTrue(call.interruptedWhenReturned.get(), "the interrupt is kept");
    assertTrue(call.helperBatchFinishedWhenReturned.get(), "the call returned before the helper's batch finished");
  }

  @Test
  void anInterruptStopsTheCallBeforeItsNextBatch() throws InterruptedException {
    // A cancelled Future interrupts its thread: the call should end after the batches already
    // running, not after all of them.
    try (ParallelBatches oneWorker = new ParallelBatches(1, "parallel-batches-test-one")) {
      List<Integer> started = new CopyOnWriteArrayList<>();
      Call call = new Call();
      call.start(oneWorker, 5, b -> {
        started.add(b);
        if (b == 1) {
          Thread.currentThread().interrupt();
        }
      });
      assertTrue(call.returned.await(PATIENCE_SECONDS, TimeUnit.SECONDS));
      assertEquals(List.of(0, 1), started, "no batch starts after the interrupt");
      assertInterrupted(call);
    }

    Set<Integer> started = ConcurrentHashMap.newKeySet();
    Call call = new Call();
    call.start(twoWorkers, 10, b -> {
      started.add(b);
      if (call.isCaller()) {
        Thread.currentThread().interrupt();
      } else {
        call.finishHelperBatchOnceReturnedOrAfterASecond();
      }
    });
    assertTrue(call.returned.await(PATIENCE_SECONDS, TimeUnit.SECONDS));
    assertTrue(started.size() <= 2, "at most the caller's batch and the helper's running one: " + started);
    assertInterrupted(call);
  }

  @Test
  void anInterruptedHelperThreadDoesNotStopTheCall() throws InterruptedException {
    // Only the caller's interrupt cancels the call; a helper's (close() interrupts helpers, or a batch
    // leaves its flag set) is not the caller's doing.
    Set<Integer> started = ConcurrentHashMap.newKeySet();
    CountDownLatch helperInterrupted = new CountDownLatch(1);
    Call call = new Call();
    call.start(twoWorkers, 6, b -> {
      started.add(b);
      if (call.isCaller()) {
        await(helperInterrupted); // so that batches are left when the interrupted helper asks for its next
      } else {
        Thread.currentThread().interrupt();
        helperInterrupted.countDown();
      }
    });
    assertTrue(call.returned.await(PATIENCE_SECONDS, TimeUnit.SECONDS));
    assertNull(call.failure.get());
    assertEquals(Set.of(0, 1, 2, 3, 4, 5), started);
  }

  private static void assertInterrupted(Call call) {
    Throwable failure = call.failure.get();
    assertTrue(failure instanceof IllegalStateException, "failed with " + failure);
    assertEquals("interrupted while batches were running", failure.getMessage());
    assertTrue(failure.getCause() instanceof InterruptedException, "cause " + failure.getCause());
    assertTrue(call.interruptedWhenReturned.get(), "the interrupt is kept");
  }

  @Test
  void aFailingHelperBatchFailsTheCallWithItsOwnException() throws InterruptedException {
    IllegalArgumentException thrown = new IllegalArgumentException("the helper's batch failed");
    CountDownLatch helperFailing = new CountDownLatch(1);
    Call call = new Call();
    call.start(twoWorkers, 2, b -> {
      if (call.isCaller()) {
        await(helperFailing); // so that the helper, not the caller, runs the other batch
        return;
      }
      helperFailing.countDown();
      throw thrown;
    });
    assertTrue(call.returned.await(PATIENCE_SECONDS, TimeUnit.SECONDS));
    assertSame(thrown, call.failure.get());
    assertFalse(call.interruptedWhenReturned.get());
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("gave up waiting");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** One {@link ParallelBatches#run} on a thread of its own, and how it ended. */
  private static final class Call {
    final CountDownLatch returned = new CountDownLatch(1);
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final AtomicBoolean interruptedWhenReturned = new AtomicBoolean();
    private final AtomicBoolean helperBatchFinished = new AtomicBoolean();
    final AtomicBoolean helperBatchFinishedWhenReturned = new AtomicBoolean();
    private Thread thread;

    void start(ParallelBatches batches, int count, IntConsumer batch) {
      thread = new Thread(() -> {
        try {
          batches.run(count, batch);
        } catch (Throwable t) {
          failure.set(t);
        }
        helperBatchFinishedWhenReturned.set(helperBatchFinished.get());
        interruptedWhenReturned.set(Thread.currentThread().isInterrupted());
        returned.countDown();
      });
      thread.start();
    }

    /** Whether the current thread is the one that called {@link ParallelBatches#run}. */
    boolean isCaller() {
      return Thread.currentThread() == thread;
    }

    /**
     * Ends a helper's batch once the call returned, or after a second while the call waits for it: a
     * call that returns without waiting is caught returning before the batch finished.
     */
    void finishHelperBatchOnceReturnedOrAfterASecond() {
      try {
        returned.await(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      helperBatchFinished.set(true);
    }
  }
}
