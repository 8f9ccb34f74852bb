package io.github.r2r.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.r2r.eval.DataFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class FreeTextTeacherReaderTest {
  private static final FreeTextTeacherReader DEFAULTS = FreeTextTeacherReader.builder().build();

  private static List<Integer> ranks(TrainingQuery query) {
    return query.passages().stream().map(p -> p.retrievalRank().getAsInt()).toList();
  }

  @Test
  void eachWindowIsOneQueryRankedDeepestFirst() throws IOException {
    ReadResult result = DEFAULTS.read(Fixtures.path("freetext-sample.jsonl"));
    List<TrainingQuery> queries = result.queries();
    assertEquals(3, queries.size());

    // Lines 1 and 2 are the two windows of "what is a flea": line 1 holds BM25 ranks 4-6.
    TrainingQuery deep = queries.get(0);
    TrainingQuery top = queries.get(1);
    assertEquals(List.of(4, 5, 6), ranks(deep));
    assertEquals(List.of(1, 2, 3), ranks(top));
    assertEquals(deep.qid(), top.qid());
    assertEquals(FreeTextTeacherReader.queryTextId("what is a flea"), top.qid());

    // Top window: "[3] > [1] > [2]", reasons as "- [i]: ...", labels "1", "0", "0".
    assertEquals(Optional.of(List.of(2, 0, 1)), top.teacherOrder());
    TrainingPassage definition = top.passages().get(2);
    assertEquals(TrainingPassage.textId("A flea is a small jumping insect."), definition.id());
    assertEquals(Optional.of("This passage gives a definition."), definition.pointwiseReason());
    assertEquals(OptionalInt.of(1), top.passages().get(0).label());
    assertEquals(Optional.empty(), definition.comparativeReason());

    // Deep window: "- Passage [i] ..." reasons get the subject "This passage".
    assertEquals(Optional.of(List.of(1, 0, 2)), deep.teacherOrder());
    assertEquals(
        Optional.of("This passage defines fleas as insects."),
        deep.passages().get(1).pointwiseReason());
  }

  @Test
  void mixedReasonFormats() throws IOException {
    TrainingQuery query = DEFAULTS.read(Fixtures.path("freetext-sample.jsonl")).queries().get(2);
    assertEquals("define restorative justice", query.query());
    // The partial chain "[2] > [3]" comes first; the full one is "[2] > [3] > [1]".
    assertEquals(Optional.of(List.of(1, 2, 0)), query.teacherOrder());
    assertEquals(
        List.of(
            Optional.of("This passage repeats the query."),
            Optional.of("Clearly answers the question."),
            Optional.of("This passage is ranked second because it is vague.")),
        query.passages().stream().map(TrainingPassage::pointwiseReason).toList());
    assertEquals(List.of(1, 2, 3), ranks(query));
  }

  @Test
  void brokenPermutationsAreSkippedAndReported() throws IOException {
    Path file = Fixtures.path("freetext-sample.jsonl");
    ReadReport report = DEFAULTS.read(file).report();
    assertEquals(5, report.rowsRead());
    assertEquals(3, report.queriesRead());
    assertEquals(2, report.count(ReadIssue.Kind.BROKEN_PERMUTATION));
    List<ReadIssue> issues = report.issues();
    assertEquals(OptionalLong.of(3), issues.get(0).line());
    assertEquals(
        "no ranking '[i] > [j] > ...' in the reason text: 'None of the provided passages [1],"
            + " [2], [3] are relevant to the query.'",
        issues.get(0).problem());
    assertEquals(OptionalLong.of(5), issues.get(1).line());
    assertEquals(
        "re_rank_id [1, 2, 1] disagrees with the ranking [1, 2, 3] in the reason text",
        issues.get(1).problem());
  }

  @Test
  void brokenPermutationCanFail() {
    Path file = Fixtures.path("freetext-sample.jsonl");
    FreeTextTeacherReader strict =
        FreeTextTeacherReader.builder().onBrokenPermutation(MalformedRowPolicy.FAIL).build();
    DataFormatException e = assertThrows(DataFormatException.class, () -> strict.read(file));
    assertEquals(OptionalLong.of(3), e.line());
  }

  @Test
  void knownQueryIdsReplaceTextIds() throws IOException {
    ReadResult result =
        FreeTextTeacherReader.builder()
            .queryIds(Map.of("what is a flea", "1185869"))
            .build()
            .read(Fixtures.path("freetext-sample.jsonl"));
    assertEquals("1185869", result.queries().get(0).qid());
    assertEquals(
        FreeTextTeacherReader.queryTextId("define restorative justice"),
        result.queries().get(2).qid());
  }

  @Test
  void missingFieldFailsByDefaultAndCanBeSkipped() throws IOException {
    Path file = Fixtures.path("freetext-malformed.jsonl");
    DataFormatException e = assertThrows(DataFormatException.class, () -> DEFAULTS.read(file));
    assertEquals(file + ":2: missing field 'reason'", e.getMessage());

    ReadResult lenient =
        FreeTextTeacherReader.builder()
            .onMalformedRow(MalformedRowPolicy.SKIP_AND_REPORT)
            .build()
            .read(file);
    assertEquals(2, lenient.queries().size());
    assertEquals(1, lenient.report().count(ReadIssue.Kind.MALFORMED_ROW));
    assertEquals(file + ":2: missing field 'reason'", lenient.report().issues().get(0).toString());
  }
}
