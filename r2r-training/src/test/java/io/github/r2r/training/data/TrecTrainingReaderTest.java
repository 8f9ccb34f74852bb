package io.github.r2r.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.r2r.eval.DataFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrecTrainingReaderTest {
  @TempDir Path dir;

  private static List<OptionalInt> labels(TrainingQuery query) {
    return query.passages().stream().map(TrainingPassage::label).toList();
  }

  private static List<String> ids(TrainingQuery query) {
    return query.passages().stream().map(TrainingPassage::id).toList();
  }

  @Test
  void candidatesWithGradedLabels() throws IOException {
    ReadResult result = TrecTrainingReader.builder().build().read(Fixtures.path("trec-mini"));
    assertEquals(2, result.queries().size());
    TrainingQuery q201 = result.queries().get(0);
    assertEquals("201", q201.qid());
    assertEquals("trec-mini", q201.source());
    assertEquals(List.of("c1", "c2", "c3"), ids(q201));
    // qrels: c1 = 2, c2 unjudged, c3 = 0.
    assertEquals(List.of(OptionalInt.of(2), OptionalInt.empty(), OptionalInt.of(0)), labels(q201));
    assertEquals(OptionalInt.of(3), q201.passages().get(2).retrievalRank());
    assertEquals(Optional.empty(), q201.teacherOrder());
    assertEquals(2, result.report().rowsRead());
    assertTrue(result.report().isClean());
  }

  @Test
  void judgedPassagesOutsideTheCandidatesAreAppendedInQrelsOrder() throws IOException {
    ReadResult result =
        TrecTrainingReader.builder()
            .includeJudgedOutsideCandidates(true)
            .build()
            .read(Fixtures.path("trec-mini"));
    TrainingQuery q201 = result.queries().get(0);
    // qrels order of 201: c1, j9, c3, j8 -> extras j9 (3) then j8 (1), without retrieval rank.
    assertEquals(List.of("c1", "c2", "c3", "j9", "j8"), ids(q201));
    assertEquals(OptionalInt.of(3), q201.passages().get(3).label());
    assertEquals("Fleas are wingless insects that feed on blood.", q201.passages().get(3).text());
    assertEquals(OptionalInt.empty(), q201.passages().get(3).retrievalRank());
    assertEquals(List.of("c4", "c5"), ids(result.queries().get(1)));
  }

  @Test
  void judgedPassageWithoutTextFailsOrIsReported() throws IOException {
    copyFixture();
    Files.writeString(
        dir.resolve("judged_passages.tsv"),
        "c1\tA flea is an insect.\nj9\tFleas are wingless insects.\nno tab here\n");
    Path judged = dir.resolve("judged_passages.tsv");
    DataFormatException e =
        assertThrows(
            DataFormatException.class,
            () ->
                TrecTrainingReader.builder()
                    .includeJudgedOutsideCandidates(true)
                    .build()
                    .read(dir));
    assertEquals(judged + ":3: expected 'docid<TAB>text' but found 'no tab here'", e.getMessage());

    ReadResult lenient =
        TrecTrainingReader.builder()
            .includeJudgedOutsideCandidates(true)
            .onMalformedRow(MalformedRowPolicy.SKIP_AND_REPORT)
            .build()
            .read(dir);
    assertEquals(
        List.of(
            judged + ":3: expected 'docid<TAB>text' but found 'no tab here'",
            judged + ": no text for judged passage 'j8' of query '201'"),
        lenient.report().issues().stream().map(ReadIssue::toString).toList());
    assertEquals(List.of("c1", "c2", "c3", "j9"), ids(lenient.queries().get(0)));
  }

  @Test
  void folderWithoutQrelsGivesUnlabelledPassages() throws IOException {
    copyFixture();
    Files.delete(dir.resolve("qrels.txt"));
    ReadResult result =
        TrecTrainingReader.builder().includeJudgedOutsideCandidates(true).build().read(dir);
    assertEquals(
        List.of(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty()),
        labels(result.queries().get(0)));
  }

  private void copyFixture() throws IOException {
    for (String name :
        List.of("queries.tsv", "candidates.jsonl", "qrels.txt", "judged_passages.tsv")) {
      Files.copy(Fixtures.path("trec-mini").resolve(name), dir.resolve(name));
    }
  }
}
