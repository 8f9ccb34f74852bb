package io.github.r2r.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EvidenceMatchTest {
  @Test
  void normaliseLowerCasesCollapsesWhitespaceAndStripsEndPunctuation() {
    assertEquals(
        "the life\u00e9 cycle, of fleas",
        EvidenceMatch.normalise("  \"The LIFE\u00c9\t\u00a0 cycle, of fleas…\"  "));
  }

  @Test
  void normaliseCollapsesEveryKindOfUnicodeWhiteSpace() {
    // em space, ideographic space, thin space, next line (U+0085), line separator (U+2028)
    assertEquals("a flea can live a year",
        EvidenceMatch.normalise("a\u2003flea\u3000can\u2009live \u2009a\u0085\u2028year"));
  }

  @Test
  void aPlaceholderSpacedWithAnEmSpaceStillSaysThereIsNoAnswer() {
    assertTrue(EvidenceMatch.saysNoAnswer("Not\u2003applicable"));
    assertTrue(EvidenceMatch.saysNoAnswer("\u3000No answer\u2009"));
  }

  @Test
  void normalisedEqualityMatches() {
    List<String> sentences = List.of("A flea can live a year.", "It bites.");
    assertTrue(EvidenceMatch.matches("A flea can live a year.", sentences, "a flea  can live a year"));
    assertFalse(EvidenceMatch.matches("It bites.", sentences, "a flea  can live a year"));
  }

  @Test
  void referenceQuotingPartOfOurSentenceMatchesIt() {
    // 10 reference words all inside our 15-word sentence: P = 10/15, R = 1, F1 = 0.8.
    List<String> sentences =
        List.of(
            "2a) Fleas life cycle 1 - The adult flea lays her eggs on the host animal.",
            "2b) The egg falls off the animal.");
    String reference = "The adult flea lays her eggs on the host animal.";
    assertTrue(EvidenceMatch.matches(sentences.get(0), sentences, reference));
    assertFalse(EvidenceMatch.matches(sentences.get(1), sentences, reference));
    assertTrue(EvidenceMatch.locatable(sentences, reference));
  }

  @Test
  void onlyTheBestOverlappingSentenceMatches() {
    // The first has F1 = 0.72 (LCS 9 of 10 and 15 words) but the second is the reference itself.
    List<String> sentences =
        List.of(
            "The life cycle of a flea can last a year.",
            "The life cycle of a flea can last anywhere from 20 days to an entire year.");
    assertFalse(EvidenceMatch.matches(sentences.get(0), sentences, sentences.get(1)));
    assertTrue(EvidenceMatch.matches(sentences.get(1), sentences, sentences.get(1)));
  }

  @Test
  void overlapBelowThresholdDoesNotMatch() {
    // LCS "cats sleep" = 2: P = 2/4, R = 2/9, F1 = 0.31 < 0.6.
    List<String> sentences = List.of("Cats sleep a lot.", "Dogs bark.");
    String reference = "Cats sleep sixteen hours every day in warm places.";
    assertFalse(EvidenceMatch.matches(sentences.get(0), sentences, reference));
    assertFalse(EvidenceMatch.locatable(sentences, reference));
  }

  @Test
  void placeholdersSayThereIsNoAnswer() {
    for (String placeholder : List.of("Not applicable.", "N/A", "None", "  ", "n/a")) {
      assertTrue(EvidenceMatch.saysNoAnswer(placeholder), placeholder);
    }
    assertFalse(EvidenceMatch.saysNoAnswer("None of the fleas survived."));
  }

  @Test
  void referenceWithoutWordsIsRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> EvidenceMatch.matches("A.", List.of("A."), " ... "));
    assertEquals("reference sentence ' ... ' has no letter or digit", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> EvidenceMatch.matches("A.", List.of(), "A"));
    assertEquals("passage has no sentences", e.getMessage());
  }
}
