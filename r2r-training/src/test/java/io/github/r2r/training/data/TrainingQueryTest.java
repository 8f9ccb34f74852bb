package io.github.r2r.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TrainingQueryTest {
  private static final TrainingPassage A = TrainingPassage.builder("a", "Text A").label(1).build();
  private static final TrainingPassage B = TrainingPassage.builder("b", "Text B").build();

  @Test
  void teacherOrderSelectsPassages() {
    TrainingQuery query =
        TrainingQuery.withTeacherOrder("q", "query", List.of(A, B), List.of(1, 0), "src");
    assertEquals(Optional.of(List.of(1, 0)), query.teacherOrder());
    assertEquals(Optional.of(List.of(B, A)), query.passagesInTeacherOrder());
    assertEquals(
        Optional.empty(), TrainingQuery.of("q", "query", List.of(A), "src").teacherOrder());
  }

  @Test
  void invalidQueriesAreRejectedWithTheReason() {
    assertEquals(
        "teacher order [0, 0] of query 'q' is not a permutation of 0..1",
        assertThrows(
                IllegalArgumentException.class,
                () -> TrainingQuery.withTeacherOrder("q", "x", List.of(A, B), List.of(0, 0), "s"))
            .getMessage());
    assertEquals(
        "query 'q' has two passages with id 'a'",
        assertThrows(
                IllegalArgumentException.class,
                () -> TrainingQuery.of("q", "x", List.of(A, A), "s"))
            .getMessage());
    assertEquals(
        "query 'q' has no passage",
        assertThrows(
                IllegalArgumentException.class, () -> TrainingQuery.of("q", "x", List.of(), "s"))
            .getMessage());
  }

  @Test
  void blankTeacherStringsAreAbsent() {
    TrainingPassage passage =
        TrainingPassage.builder("p", "text")
            .pointwiseReason("  Addresses the query. ")
            .evidenceSentence(" ")
            .retrievalRank(3)
            .build();
    assertEquals(Optional.of("Addresses the query."), passage.pointwiseReason());
    assertEquals(Optional.empty(), passage.evidenceSentence());
    assertEquals(Optional.empty(), passage.comparativeReason());
    assertEquals(OptionalInt.of(3), passage.retrievalRank());
    assertEquals(OptionalInt.empty(), passage.label());
  }

  @Test
  void textIdIsTheSha256Prefix() {
    // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    assertEquals("text-ba7816bf8f01cfea", TrainingPassage.textId("abc"));
    assertEquals("query-ba7816bf8f01cfea", FreeTextTeacherReader.queryTextId("abc"));
  }

  @Test
  void aPassageCopyReplacesOnlyItsPointwiseReason() {
    TrainingPassage full = TrainingPassage.builder("p", "Fleas bite.").label(2).retrievalRank(4)
        .pointwiseReason("old").comparativeReason("better").evidenceSentence("Fleas bite.").build();

    assertEquals(TrainingPassage.builder("p", "Fleas bite.").label(2).retrievalRank(4).pointwiseReason("new")
            .comparativeReason("better").evidenceSentence("Fleas bite.").build(),
        full.withPointwiseReason(Optional.of("new")));
    assertEquals(TrainingPassage.builder("p", "Fleas bite.").label(2).retrievalRank(4)
            .comparativeReason("better").evidenceSentence("Fleas bite.").build(),
        full.withPointwiseReason(Optional.empty()));
  }

  @Test
  void replacingThePassagesKeepsTheRestOfTheQuery() {
    TrainingQuery query = TrainingQuery.withTeacherOrder("q", "query", List.of(A, B), List.of(1, 0), "src");
    TrainingPassage reasoned = A.withPointwiseReason(Optional.of("why"));

    TrainingQuery replaced = query.withPassages(List.of(reasoned, B));

    assertEquals(TrainingQuery.withTeacherOrder("q", "query", List.of(reasoned, B), List.of(1, 0), "src"), replaced);
    assertEquals("query 'q' has 2 passages, got 1 to replace them",
        assertThrows(IllegalArgumentException.class, () -> query.withPassages(List.of(A))).getMessage());
  }
}
