package io.github.r2r.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PassageReferencesTest {
  @Test
  void numberedReferencesBecomeGenericOnes() {
    // Reasons as the Reason-to-Rank teacher wrote them (train-msmarco-500.jsonl).
    assertEquals(
        "Although it does not provide specific details, it emphasizes the profound change, making it more"
            + " relevant than the other passages.",
        PassageReferences.generic(
            "Although it does not provide specific details, it emphasizes the profound change, making it more"
                + " relevant than passages 1, 3, and 5."));
    assertEquals(
        "It lacks detail, making it less relevant than the other passages but more relevant than the other"
            + " passages.",
        PassageReferences.generic(
            "It lacks detail, making it less relevant than passages 2 and 4 but more relevant than passages 1"
                + " and 5."));
    assertEquals(
        "While it provides similar information to another passage, it is ranked lower.",
        PassageReferences.generic("While it provides similar information to passage 3, it is ranked lower."));
    assertEquals(
        "Another passage is more direct; the other passages are vaguer.",
        PassageReferences.generic("Passage [2] is more direct; passages [4] or [5] are vaguer."));
  }

  @Test
  void reasonsWithoutNumbersAreKept() {
    String reason = "Compared to other passages, this one is the least relevant as it does not address the query.";
    assertEquals(reason, PassageReferences.generic(reason));
    assertFalse(PassageReferences.namesPassages(reason));
    assertTrue(PassageReferences.namesPassages("better than passage 4"));
    assertEquals("This passage covers 3 topics.", PassageReferences.generic("This passage covers 3 topics."));
  }
}
