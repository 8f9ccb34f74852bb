package io.github.r2r.training.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EvidenceExampleTest {
  @Test
  void changingTheGivenArraysLaterCannotUndoTheCheckedMatch() {
    float[] query = {1, 0};
    float[] cosines = {0.1f, 0.2f};
    float[][] spans = {{1, 0}, {0, 1}};
    boolean[] matches = {false, true};
    EvidenceExample example = new EvidenceExample("q", query, cosines, spans, matches);

    matches[1] = false;
    query[0] = 9;
    cosines[0] = 9;
    spans[0][0] = 9;

    assertTrue(example.isMatch(1), "the checked match stays");
    assertArrayEquals(new float[] {1, 0}, example.query());
    assertEquals(0.1f, example.sentenceCosine(0));
    assertArrayEquals(new float[] {1, 0}, example.spanState(0));
  }

  @Test
  void theAccessorsReturnCopies() {
    EvidenceExample example =
        new EvidenceExample("q", new float[] {1, 0}, new float[] {0.1f, 0.2f}, new float[][] {{1, 0}, {0, 1}},
            new boolean[] {false, true});

    example.matches()[1] = false;
    example.query()[0] = 9;
    example.sentenceCosines()[0] = 9;
    example.spanStates()[0][0] = 9;
    example.spanState(1)[1] = 9;

    assertArrayEquals(new boolean[] {false, true}, example.matches());
    assertFalse(example.isMatch(0));
    assertArrayEquals(new float[] {1, 0}, example.query());
    assertArrayEquals(new float[] {0.1f, 0.2f}, example.sentenceCosines());
    assertArrayEquals(new float[][] {{1, 0}, {0, 1}}, example.spanStates());
  }
}
