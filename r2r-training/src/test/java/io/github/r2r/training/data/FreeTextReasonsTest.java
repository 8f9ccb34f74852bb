package io.github.r2r.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FreeTextReasonsTest {
  @Test
  void reasonLinesGetTheSubjectThisPassage() {
    assertEquals("This passage directly addresses the query.",
        FreeTextReasons.asPointwiseReason("directly addresses the query."));
    assertEquals("This passage directly addresses the query.",
        FreeTextReasons.asPointwiseReason("  This passage directly addresses the query."));
    assertEquals("This passage discusses fleas.", FreeTextReasons.asPointwiseReason("The passage discusses fleas."));
  }

  @Test
  void whereThePassageWasRankedIsDropped() {
    assertEquals("This passage directly mentions fleas.",
        FreeTextReasons.asPointwiseReason("This passage is ranked first because it directly mentions fleas."));
    assertEquals("This passage discusses anthropology.",
        FreeTextReasons.asPointwiseReason("The passage is ranked second as it discusses anthropology."));
    assertEquals("This passage gives the dose.",
        FreeTextReasons.asPointwiseReason("This passage is the second most relevant as it gives the dose."));
    assertEquals("This passage only names the town.",
        FreeTextReasons.asPointwiseReason("This passage is the least relevant because it only names the town."));
    assertEquals("This passage lists prices.", FreeTextReasons.asPointwiseReason("is third as it lists prices."));
    assertEquals("This passage is about cats.",
        FreeTextReasons.asPointwiseReason("This passage is ranked last because, it is about cats."));
  }

  @Test
  void aReasonWithoutARankPreambleKeepsItsWords() {
    assertEquals("This passage is the least relevant.",
        FreeTextReasons.asPointwiseReason("This passage is the least relevant."));
    assertEquals("This passage is relevant as it names the cause.",
        FreeTextReasons.asPointwiseReason("This passage is relevant as it names the cause."));
  }

  @Test
  void linesThatNameOtherPassagesAreRecognised() {
    assertTrue(FreeTextReasons.namesOtherPassages("This passage is similar to Passage [1] but lacks detail."));
    assertTrue(FreeTextReasons.namesOtherPassages("It repeats passage 3."));
    assertTrue(FreeTextReasons.namesOtherPassages("Less detailed than passages 2 and 4."));
    assertFalse(FreeTextReasons.namesOtherPassages("This passage gives 3 doses and compares other passages."));
  }

  @Test
  void aQueryKeepsEverythingButItsReasonLines() {
    TrainingPassage first = TrainingPassage.builder("a", "Fleas live for weeks.").label(1).retrievalRank(6)
        .pointwiseReason("is ranked first because it gives the lifespan.").build();
    TrainingPassage second = TrainingPassage.builder("b", "Dogs have fleas.").label(0).retrievalRank(7)
        .pointwiseReason("This passage is less detailed than Passage [1].").build();
    TrainingPassage third = TrainingPassage.builder("c", "Cats.").retrievalRank(8).build();
    TrainingQuery query =
        TrainingQuery.withTeacherOrder("q1", "flea lifespan", List.of(first, second, third), List.of(0, 2, 1), "gpt4");

    TrainingQuery framed = FreeTextReasons.asPointwiseReasons(query);

    assertEquals(Optional.of("This passage gives the lifespan."), framed.passages().get(0).pointwiseReason());
    assertEquals(Optional.empty(), framed.passages().get(1).pointwiseReason());
    assertEquals(Optional.empty(), framed.passages().get(2).pointwiseReason());
    assertEquals(query.teacherOrder(), framed.teacherOrder());
    assertEquals(List.of("q1", "flea lifespan", "gpt4"), List.of(framed.qid(), framed.query(), framed.source()));
    for (int i = 0; i < 3; i++) {
      TrainingPassage before = query.passages().get(i);
      TrainingPassage after = framed.passages().get(i);
      assertEquals(List.of(before.id(), before.text()), List.of(after.id(), after.text()));
      assertEquals(before.label(), after.label());
      assertEquals(before.retrievalRank(), after.retrievalRank());
    }
  }

  @Test
  void nullIsRejected() {
    assertThrows(NullPointerException.class, () -> FreeTextReasons.asPointwiseReason(null));
    assertThrows(NullPointerException.class, () -> FreeTextReasons.asPointwiseReasons(null));
  }
}
