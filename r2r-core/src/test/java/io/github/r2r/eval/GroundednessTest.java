package io.github.r2r.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class GroundednessTest {
  @Test
  void shareOfContentWordsFoundInTheSources() {
    // Content words: passage, explains, flea, lifespan, year -> passage and explains are not grounded.
    OptionalDouble g =
        Groundedness.of(
            "This passage explains that a flea's lifespan is a year.",
            List.of("how long do fleas live", "A flea has a lifespan of up to one year."));
    assertEquals(OptionalDouble.of(3.0 / 5), g);
  }

  @Test
  void pluralFoldingAndRepeatsCount() {
    // fleas ~ flea (grounded, twice), bite ~ bites (grounded), cats (not): 3 of 4.
    assertEquals(OptionalDouble.of(0.75), Groundedness.of("Fleas, fleas bite cats", List.of("A flea bites.")));
    // Words of three letters keep their s: "bus" does not match "bu".
    assertEquals(OptionalDouble.of(0.0), Groundedness.of("bus", List.of("bu")));
  }

  @Test
  void textOfOnlyStopWordsHasNoGroundedness() {
    assertTrue(Groundedness.of("It is what it is, isn't it?", List.of("anything")).isEmpty());
  }

  @Test
  void stopWordsAreNltksAndSplitContractions() {
    // NLTK lists 179 words; its 26 contractions (don't, you're, ...) are covered by their fragments.
    assertEquals(179 - 26, StopWords.ENGLISH.size());
    assertEquals(
        List.of("think", "flea", "live", "long"),
        StopWords.contentWords("Don't you think the flea can't live THAT long?"));
  }

  @Test
  void missingSourcesAreRejected() {
    assertEquals(
        "no sources to ground the text in",
        assertThrows(IllegalArgumentException.class, () -> Groundedness.of("a", List.of())).getMessage());
  }
}
