package io.github.r2r.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaddedBatchTest {
  private static InputSequence sequence(long... ids) {
    return new InputSequence(ids, new long[ids.length]);
  }

  @Test
  void equalLengthsAreNotPadded() {
    PaddedBatch batch = new PaddedBatch(List.of(sequence(1, 2, 3), sequence(4, 5, 6)));
    assertFalse(batch.padded());
    assertEquals(3, batch.width());
  }

  @Test
  void shorterRowsArePaddedToTheLongest() {
    PaddedBatch batch = new PaddedBatch(List.of(sequence(1, 2, 3), sequence(4)));
    assertTrue(batch.padded());
    assertEquals(3, batch.width());
  }

  @Test
  void explicitWidthPadsEveryRow() {
    PaddedBatch batch = new PaddedBatch(List.of(sequence(7, 8)), 4);
    assertTrue(batch.padded());
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDList arrays = batch.toNDList(manager);
      assertArrayEquals(new long[] {7, 8, 0, 0}, arrays.get(0).toLongArray());
      assertArrayEquals(new long[] {1, 1, 0, 0}, arrays.get(2).toLongArray());
    }
  }

  @Test
  void widthShorterThanARowIsRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new PaddedBatch(List.of(sequence(1, 2, 3)), 2));
    assertEquals("width 2 is shorter than the longest sequence (3 tokens)", e.getMessage());
  }

  @Test
  void emptyBatchIsRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new PaddedBatch(List.of()));
    assertEquals("a batch needs at least one sequence", e.getMessage());
  }
}
