package io.github.r2r.training.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingListTest {
  private static final List<String> PASSAGES = List.of("a", "b", "c");

  @Test
  void changingTheGivenArraysLaterChangesNothing() {
    float[] labels = {0, 2, 1};
    int[] ranks = {3, 1, 2};
    TrainingList list = new TrainingList("s", "q1", "a query", PASSAGES, labels, ranks);

    labels[0] = 9;
    ranks[0] = 9;

    assertArrayEquals(new float[] {0, 2, 1}, list.labels());
    assertArrayEquals(new int[] {3, 1, 2}, list.teacherRanks());
  }

  @Test
  void theAccessorsReturnCopies() {
    TrainingList list = new TrainingList("s", "q1", "a query", PASSAGES, new float[] {0, 2, 1}, new int[] {3, 1, 2});

    list.labels()[0] = 9;
    list.teacherRanks()[0] = 9;
    list.gradedLabels().orElseThrow()[1] = 9;
    list.ranks().orElseThrow()[1] = 9;

    assertArrayEquals(new float[] {0, 2, 1}, list.labels());
    assertArrayEquals(new int[] {3, 1, 2}, list.teacherRanks());
  }

  @Test
  void copyIntoFillsABatchRowFromItsOffset() {
    TrainingList list = new TrainingList("s", "q1", "a query", PASSAGES, new float[] {0, 2, 1}, new int[] {3, 1, 2});
    float[] labels = new float[5];
    float[] ranks = new float[5];

    list.copyLabelsInto(labels, 1);
    list.copyTeacherRanksInto(ranks, 2);

    assertArrayEquals(new float[] {0, 0, 2, 1, 0}, labels);
    assertArrayEquals(new float[] {0, 0, 3, 1, 2}, ranks);
  }

  @Test
  void copyingWhatTheListLacksIsRefusedWithTheQuery() {
    TrainingList ranksOnly = new TrainingList("s", "q7", "a query", PASSAGES, null, new int[] {3, 1, 2});

    assertFalse(ranksOnly.hasLabels());
    assertTrue(ranksOnly.hasTeacherRanks());
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> ranksOnly.copyLabelsInto(new float[3], 0));
    assertEquals("list of q7 has no labels", e.getMessage());
  }
}
