package io.github.r2r;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.r2r.text.InputSequence;
import io.github.r2r.util.ParallelBatches;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class LengthSortedBatchesTest {
  /**
   * Workers with 0, 1, 2 and 3 helper threads, by index; shared by the JUnit tests and the jqwik
   * property (whose lifecycles differ), so never closed (daemon threads).
   */
  private static final List<ParallelBatches> WITH_HELPERS = List.of(
      new ParallelBatches(1, "batches-test"), new ParallelBatches(2, "batches-test"),
      new ParallelBatches(3, "batches-test"), new ParallelBatches(4, "batches-test"));

  private static InputSequence ofLength(int length, int tag) {
    long[] ids = new long[length];
    ids[0] = tag;
    return new InputSequence(ids, new long[length]);
  }

  /** The "model" returns each sequence's tag, so results show whether they came back in input order. */
  private static List<Long> tags(List<InputSequence> batch) {
    List<Long> out = new ArrayList<>();
    for (InputSequence s : batch) {
      out.add(s.ids()[0]);
    }
    return out;
  }

  @Property(tries = 50)
  void resultsComeBackInInputOrderWithOrWithoutHelpers(
      @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1, max = 30) Integer> lengths,
      @ForAll @IntRange(min = 1, max = 5) int batchSize,
      @ForAll @IntRange(min = 0, max = 3) int helpers) {
    List<InputSequence> sequences = new ArrayList<>();
    for (int i = 0; i < lengths.size(); i++) {
      sequences.add(ofLength(lengths.get(i), i));
    }
    LengthSortedBatches batches = new LengthSortedBatches(batchSize, WITH_HELPERS.get(helpers));
    List<Long> results = batches.run(sequences, LengthSortedBatchesTest::tags);
    for (int i = 0; i < sequences.size(); i++) {
      assertEquals(i, results.get(i));
    }
  }

  @Test
  void helpersRunBatchesSideBySide() throws InterruptedException {
    // Every batch waits until two batches are running at once: this only finishes if a helper thread
    // takes a batch while the calling thread runs another.
    CountDownLatch bothRunning = new CountDownLatch(2);
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    List<InputSequence> sequences = List.of(ofLength(3, 0), ofLength(2, 1));
    List<Long> results = new LengthSortedBatches(1, WITH_HELPERS.get(1)).run(sequences, batch -> {
      threads.add(Thread.currentThread());
      bothRunning.countDown();
      try {
        assertTrue(bothRunning.await(10, TimeUnit.SECONDS), "the second batch never started");
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return tags(batch);
    });
    assertEquals(List.of(0L, 1L), results);
    assertEquals(2, threads.size());
  }

  @Test
  void aFailingBatchFailsTheCallWithItsOwnException() {
    List<InputSequence> sequences = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      sequences.add(ofLength(1 + i, i));
    }
    for (int helpers : new int[] {0, 2}) {
      LengthSortedBatches batches = new LengthSortedBatches(2, WITH_HELPERS.get(helpers));
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> batches.run(sequences, batch -> {
        if (batch.get(0).ids()[0] == 5) {
          throw new IllegalStateException("batch with sequence 5 failed");
        }
        return tags(batch);
      }));
      assertEquals("batch with sequence 5 failed", e.getMessage());
    }
  }

  @Test
  void aBatchSizeNearTheLargestIntIsOneBatch() {
    List<InputSequence> two = List.of(ofLength(3, 0), ofLength(5, 1));
    List<Integer> batchSizes = new ArrayList<>();
    List<Long> results = new LengthSortedBatches(Integer.MAX_VALUE, WITH_HELPERS.get(1)).run(two, batch -> {
      synchronized (batchSizes) {
        batchSizes.add(batch.size());
      }
      return tags(batch);
    });
    assertEquals(List.of(0L, 1L), results);
    assertEquals(List.of(2), batchSizes);
  }

  @Test
  void settingsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new LengthSortedBatches(0, WITH_HELPERS.get(0)));
    assertThrows(NullPointerException.class, () -> new LengthSortedBatches(2, null));
    assertThrows(IllegalArgumentException.class, () -> new ParallelBatches(0, "none"));
  }
}
