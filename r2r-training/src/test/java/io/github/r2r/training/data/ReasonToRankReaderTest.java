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
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReasonToRankReaderTest {
  private static final ReasonToRankReader DEFAULTS = ReasonToRankReader.builder().build();

  @Test
  void readsPassagesInBm25OrderWithIdsLabelsReasonsAndTeacherOrder() throws IOException {
    ReadResult result = DEFAULTS.read(Fixtures.path("r2r-sample.jsonl"));
    assertEquals(List.of("q1", "q3"), result.queries().stream().map(TrainingQuery::qid).toList());

    // q1: re_rank_id [2, 3, 1], sorted_docids [p20, p30, p10] (teacher order), so BM25 position
    // 1 is sorted_docids[index of 1 = 2] = p10, position 2 is p20, position 3 is p30.
    TrainingQuery q1 = result.queries().get(0);
    assertEquals("what is a flea", q1.query());
    assertEquals("data/r2r-sample.jsonl", q1.source());
    assertEquals(
        List.of("p10", "p20", "p30"), q1.passages().stream().map(TrainingPassage::id).toList());
    assertEquals(Optional.of(List.of(1, 2, 0)), q1.teacherOrder());
    TrainingPassage best = q1.passages().get(1);
    assertEquals("A flea is a small jumping insect.", best.text());
    assertEquals(OptionalInt.of(1), best.label()); // scores[1] = "1"
    assertEquals(OptionalInt.of(2), best.retrievalRank());
    assertEquals(Optional.of("This passage defines a flea."), best.pointwiseReason());
    assertEquals(Optional.of("More direct than passages 1 and 3."), best.comparativeReason());
    assertEquals(Optional.of("A flea is a small jumping insect."), best.evidenceSentence());
    assertEquals(
        Optional.of("This passage mentions fleas on dogs."),
        q1.passages().get(0).pointwiseReason());

    // q3: numeric labels and string re_rank_id are accepted; a blank evidence sentence is absent.
    TrainingQuery q3 = result.queries().get(1);
    assertEquals(OptionalInt.of(1), q3.passages().get(0).label());
    assertEquals(Optional.empty(), q3.passages().get(1).evidenceSentence());
  }

  @Test
  void brokenPermutationIsSkippedAndCounted() throws IOException {
    Path file = Fixtures.path("r2r-sample.jsonl");
    ReadReport report = DEFAULTS.read(file).report();
    assertEquals(3, report.rowsRead()); // the blank line is not a row
    assertEquals(2, report.queriesRead());
    assertEquals(1, report.count(ReadIssue.Kind.BROKEN_PERMUTATION));
    ReadIssue issue = report.issues().get(0);
    assertEquals(OptionalLong.of(2), issue.line());
    assertEquals("re_rank_id [1, 1, 2] is not a permutation of 1..3", issue.problem());
    assertTrue(
        report
            .summary()
            .startsWith(
                "data/r2r-sample.jsonl: 3 rows, 2 queries, skipped 1 (1 broken permutations,"
                    + " 0 malformed rows)\n  "
                    + file
                    + ":2: re_rank_id"),
        report.summary());
  }

  @Test
  void brokenPermutationCanFail() {
    ReasonToRankReader strict =
        ReasonToRankReader.builder().onBrokenPermutation(MalformedRowPolicy.FAIL).build();
    Path file = Fixtures.path("r2r-sample.jsonl");
    DataFormatException e = assertThrows(DataFormatException.class, () -> strict.read(file));
    assertEquals(file + ":2: re_rank_id [1, 1, 2] is not a permutation of 1..3", e.getMessage());
  }

  @Test
  void invalidJsonFailsByDefaultNamingFileAndLine() {
    Path file = Fixtures.path("r2r-malformed.jsonl");
    DataFormatException e = assertThrows(DataFormatException.class, () -> DEFAULTS.read(file));
    assertEquals(OptionalLong.of(2), e.line());
    assertTrue(e.getMessage().startsWith(file + ":2: invalid JSON:"), e.getMessage());
  }

  @Test
  void aBlankPassageIdIsAMalformedRowNamedByFileAndLine(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    // The first line of the sample with its first passage id blanked: the model's refusal used to escape
    // the reader without the file and line.
    String first = java.nio.file.Files.readAllLines(Fixtures.path("r2r-sample.jsonl")).get(0);
    Path file = dir.resolve("blank-id.jsonl");
    java.nio.file.Files.writeString(file, first.replace("\"sorted_docids\": [\"p20\"", "\"sorted_docids\": [\" \"") + "\n");
    DataFormatException e = assertThrows(DataFormatException.class, () -> DEFAULTS.read(file));
    assertEquals(file + ":1: passage id must not be blank", e.getMessage());
  }

  @Test
  void invalidJsonCanBeSkippedAndReported() throws IOException {
    ReadResult result =
        ReasonToRankReader.builder()
            .onMalformedRow(MalformedRowPolicy.SKIP_AND_REPORT)
            .build()
            .read(Fixtures.path("r2r-malformed.jsonl"));
    assertEquals(List.of("q1", "q4"), result.queries().stream().map(TrainingQuery::qid).toList());
    assertEquals(1, result.report().count(ReadIssue.Kind.MALFORMED_ROW));
    assertEquals(OptionalLong.of(2), result.report().issues().get(0).line());
  }

  @Test
  void retrievalScoresAreNotLabels() throws IOException {
    Path file = Fixtures.path("r2r-retrieval-scores.jsonl");
    DataFormatException e = assertThrows(DataFormatException.class, () -> DEFAULTS.read(file));
    assertEquals(
        file
            + ":1: scores[0] must be an integer, got 20.5 (read as a relevance label; if this file"
            + " holds retrieval scores, read it with ScoresInterpretation.RETRIEVAL_SCORES)",
        e.getMessage());

    ReadResult result =
        ReasonToRankReader.builder()
            .scores(ScoresInterpretation.RETRIEVAL_SCORES)
            .build()
            .read(file);
    assertEquals(1, result.queries().size());
    assertEquals(OptionalInt.empty(), result.queries().get(0).passages().get(0).label());
  }

  @Test
  void anEmptyScoreMeansThatPassageHasNoLabel(@TempDir Path dir) throws IOException {
    String first = Files.readAllLines(Fixtures.path("r2r-sample.jsonl")).get(0);
    assertTrue(first.contains("\"scores\": [\"0\", \"1\", \"0\"]"), first);
    Path file = dir.resolve("partly-labelled.jsonl");
    Files.writeString(file, first.replace("\"scores\": [\"0\", \"1\", \"0\"]", "\"scores\": [\"\", \"1\", \"\"]"));

    List<TrainingPassage> passages = DEFAULTS.read(file).queries().get(0).passages();

    assertEquals(
        List.of(OptionalInt.empty(), OptionalInt.of(1), OptionalInt.empty()),
        passages.stream().map(TrainingPassage::label).toList());
  }
}
