package io.github.r2r.training.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
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

  @Test
  void ranksThatAreNotAPermutationOfOneToNAreRefusedNamingTheQuery() {
    // 1 = best, each rank once: the docs' first-passage term selects ranks.eq(1), which 0-based or
    // tied ranks would silently point elsewhere (ListNet and RankNet do not mind a shift).
    for (int[] ranks : new int[][] {{0, 1, 2}, {1, 1, 1}, {-5, 7, 99}, {1, 2, 4}}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> new TrainingList("s", "q4", "a query", PASSAGES, null, ranks));
      assertEquals(
          "list of q4: teacher ranks " + Arrays.toString(ranks)
              + " are not a permutation of 1..3 (1 = best, each rank once)",
          e.getMessage());
    }
  }

  @Test
  void nonFiniteLabelsAreRefusedNamingTheQueryAndTheEntry() {
    IllegalArgumentException nan =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TrainingList("s", "q3", "a query", PASSAGES, new float[] {1, Float.NaN, 0}, null));
    IllegalArgumentException infinite =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new TrainingList(
                    "s", "q5", "a query", PASSAGES, new float[] {Float.POSITIVE_INFINITY, 1, 0}, new int[] {1, 2, 3}));

    assertEquals("list of q3: label 1 of 3 is NaN; graded labels must be finite", nan.getMessage());
    assertEquals("list of q5: label 0 of 3 is Infinity; graded labels must be finite", infinite.getMessage());
  }

  @Test
  void nullArgumentsAreRefusedByName() {
    IllegalArgumentException noPassages =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TrainingList("s", "q1", "a query", null, new float[] {1, 0}, null));
    IllegalArgumentException nullPassage =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TrainingList("s", "q1", "a query", Arrays.asList("a", null), new float[] {1, 0}, null));
    IllegalArgumentException noSource =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TrainingList(null, "q1", "a query", PASSAGES, new float[] {1, 0, 2}, null));

    assertEquals("passages of q1 is null", noPassages.getMessage());
    assertEquals("passage 1 of q1 is null", nullPassage.getMessage());
    assertEquals("source of q1 is null", noSource.getMessage());
  }
}
