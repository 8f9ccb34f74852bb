package io.github.r2r.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TemplateReasonsTest {
  @Test
  void pointwiseNamesSharedContentWordsMostFrequentFirst() {
    assertEquals(
        "This passage addresses the query about how long is life cycle of flea and mentions flea, cycle, life.",
        TemplateReasons.pointwise(
            "how long is life cycle of flea",
            "The life cycle of a flea: a flea lays eggs, and the flea cycle restarts."));
  }

  @Test
  void pointwiseSaysWhenNoWordIsShared() {
    assertEquals(
        "This passage addresses the query about define visceral and mentions none of its words.",
        TemplateReasons.pointwise(" define visceral ", "Cats sleep a lot."));
  }

  @Test
  void comparativeIsFixed() {
    assertEquals(
        "This passage is more relevant than the next one because it addresses define visceral more directly.",
        TemplateReasons.comparative("define visceral"));
  }

  @Test
  void blankQueryIsRejected() {
    assertEquals(
        "query is null or blank",
        assertThrows(IllegalArgumentException.class, () -> TemplateReasons.comparative(" ")).getMessage());
  }
}
