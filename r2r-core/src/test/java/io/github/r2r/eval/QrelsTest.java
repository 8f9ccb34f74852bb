package io.github.r2r.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QrelsTest {
  @TempDir Path dir;

  private Path write(String content) throws IOException {
    return Files.writeString(dir.resolve("qrels.txt"), content);
  }

  @Test
  void readsJudgmentsInFileOrder() throws IOException {
    Qrels qrels = Qrels.read(write("q1 0 d1 3\nq1 0 d2 0\n\nq2\t0\td1\t1\nq1 Q0 d3 2\n"));
    assertEquals(List.of("q1", "q2"), List.copyOf(qrels.queryIds()));
    assertEquals(List.of("d1", "d2", "d3"), List.copyOf(qrels.judgments("q1").keySet()));
    assertEquals(OptionalInt.of(3), qrels.grade("q1", "d1"));
    assertEquals(OptionalInt.empty(), qrels.grade("q1", "d9"));
    assertEquals(2, qrels.relevantCount("q1", 2));
    assertEquals(4, qrels.size());
    assertTrue(qrels.hasQuery("q2"));
    assertFalse(qrels.hasQuery("q3"));
    assertTrue(qrels.judgments("q3").isEmpty());
  }

  @Test
  void wrongFieldCountNamesFileAndLine() throws IOException {
    Path file = write("q1 0 d1 3\nq1 0 d2\n");
    DataFormatException e = assertThrows(DataFormatException.class, () -> Qrels.read(file));
    assertEquals(
        file + ":2: expected 4 fields 'qid iteration docid grade' but found 3: 'q1 0 d2'",
        e.getMessage());
    assertEquals(OptionalLong.of(2), e.line());
    assertEquals(file, e.file());
  }

  @Test
  void nonIntegerGradeNamesFileAndLine() throws IOException {
    Path file = write("q1 0 d1 high\n");
    DataFormatException e = assertThrows(DataFormatException.class, () -> Qrels.read(file));
    assertEquals(file + ":1: grade 'high' is not an integer", e.getMessage());
  }

  @Test
  void secondJudgmentOfAPairIsRejected() throws IOException {
    Path file = write("q1 0 d1 1\nq2 0 d1 1\nq1 0 d1 2\n");
    DataFormatException e = assertThrows(DataFormatException.class, () -> Qrels.read(file));
    assertEquals(
        file + ":3: second judgment of document 'd1' for query 'q1' (first at line 1)",
        e.getMessage());
  }

  @Test
  void builderRejectsIdsTheFormatCannotHold() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Qrels.builder().add("q 1", "d", 1));
    assertTrue(e.getMessage().contains("query id must be non-empty without whitespace, got 'q 1'"));
  }
}
