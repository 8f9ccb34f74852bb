package io.github.r2r.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.r2r.eval.BenchmarkQuery;
import io.github.r2r.eval.Candidate;
import io.github.r2r.eval.DataFormatException;
import io.github.r2r.eval.Qrels;
import io.github.r2r.eval.SharedData;
import io.github.r2r.eval.TrecBenchmark;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Counts and cross-checks on the real teacher and TREC data; skipped when it is absent. */
class SharedTeacherDataTest {

  private static Path shared(String relative) {
    Optional<Path> path = SharedData.locate(relative);
    assumeTrue(path.isPresent(), "shared data " + relative + " not found");
    return path.get();
  }

  private static List<Path> files(String folder, String... names) {
    Path dir = shared(folder);
    return Arrays.stream(names).map(dir::resolve).toList();
  }

  private static List<Path> gpt35TrainFiles() {
    return IntStream.rangeClosed(1, 11)
        .mapToObj(i -> shared("gpt35-teacher").resolve("msmarco_train_" + (i * 100) + ".jsonl"))
        .toList();
  }

  private static Map<String, String> qidByQuery(List<TrainingQuery> queries) {
    Map<String, String> ids = new HashMap<>();
    queries.forEach(q -> ids.put(q.query(), q.qid()));
    return ids;
  }

  @Test
  void reasonToRankTrainSet() throws IOException {
    ReadResult result =
        ReasonToRankReader.builder().build().read(shared("r2r-teacher/train-msmarco-500.jsonl"));
    assertTrue(result.report().isClean(), result.report().summary());
    assertEquals(500, result.queries().size());
    assertTrue(result.queries().stream().allMatch(q -> q.passages().size() == 5));
    long withPositive =
        result.queries().stream()
            .filter(q -> q.passages().stream().anyMatch(p -> p.label().equals(OptionalInt.of(1))))
            .count();
    assertEquals(119, withPositive);
    List<TrainingPassage> passages =
        result.queries().stream().flatMap(q -> q.passages().stream()).toList();
    assertTrue(passages.stream().allMatch(p -> p.pointwiseReason().isPresent()));
    assertTrue(passages.stream().allMatch(p -> p.comparativeReason().isPresent()));
    assertEquals(9, passages.stream().filter(p -> p.evidenceSentence().isEmpty()).count());

    // First row: re_rank_id [2, 4, 3, 5, 1]; BM25 position 5 is MS MARCO passage 0, the judged
    // positive of query 1185869.
    TrainingQuery first = result.queries().get(0);
    assertEquals("1185869", first.qid());
    TrainingPassage fifth = first.passages().get(4);
    assertEquals("0", fifth.id());
    assertEquals(OptionalInt.of(1), fifth.label());
    assertEquals(Optional.of(List.of(1, 3, 2, 4, 0)), first.teacherOrder());
  }

  @Test
  void reasonToRankDevSetHasRetrievalScores() throws IOException {
    Path file = shared("r2r-teacher/dev-dl19-top5.jsonl");
    DataFormatException e =
        assertThrows(
            DataFormatException.class, () -> ReasonToRankReader.builder().build().read(file));
    assertEquals(OptionalLong.of(1), e.line());
    ReadResult result =
        ReasonToRankReader.builder()
            .scores(ScoresInterpretation.RETRIEVAL_SCORES)
            .build()
            .read(file);
    assertTrue(result.report().isClean(), result.report().summary());
    assertEquals(43, result.queries().size());
  }

  @Test
  void gpt4TrainFilesHaveNineBrokenPermutations() throws IOException {
    ReadResult result =
        FreeTextTeacherReader.builder()
            .build()
            .readAll(
                files(
                    "gpt4-teacher",
                    "msmarco_train_100.jsonl",
                    "msmarco_train_200.jsonl",
                    "msmarco_train_300.jsonl"));
    ReadReport report = result.report();
    assertEquals(600, report.rowsRead());
    assertEquals(9, report.count(ReadIssue.Kind.BROKEN_PERMUTATION), report.summary());
    assertEquals(0, report.count(ReadIssue.Kind.MALFORMED_ROW));
    assertEquals(591, result.queries().size());
  }

  @Test
  void gpt35TrainWindowsMatchTheReasonToRankQueries() throws IOException {
    List<TrainingQuery> r2r =
        ReasonToRankReader.builder()
            .build()
            .read(shared("r2r-teacher/train-msmarco-500.jsonl"))
            .queries();
    ReadResult result =
        FreeTextTeacherReader.builder()
            .queryIds(qidByQuery(r2r))
            .build()
            .readAll(gpt35TrainFiles());
    ReadReport report = result.report();
    assertEquals(2200, report.rowsRead());
    // One row (msmarco_train_800.jsonl line 21) has re_rank_id [1, 2, 4, 5, 1].
    assertEquals(1, report.issues().size(), report.summary());
    assertEquals(ReadIssue.Kind.BROKEN_PERMUTATION, report.issues().get(0).kind());
    assertEquals(OptionalLong.of(21), report.issues().get(0).line());
    assertEquals(2199, result.queries().size());

    // Two windows per query: the first 500 queries are the Reason-to-Rank ones, and their ranks
    // 1-5 window holds the same passages and labels in the same order.
    Map<String, TrainingQuery> r2rByQid = new HashMap<>();
    r2r.forEach(q -> r2rByQid.put(q.qid(), q));
    List<TrainingQuery> topWindowsOfR2rQueries =
        result.queries().stream()
            .filter(q -> r2rByQid.containsKey(q.qid()))
            .filter(q -> q.passages().get(0).retrievalRank().equals(OptionalInt.of(1)))
            .toList();
    assertEquals(500, topWindowsOfR2rQueries.size());
    for (TrainingQuery window : topWindowsOfR2rQueries) {
      TrainingQuery same = r2rByQid.get(window.qid());
      assertEquals(texts(same), texts(window), window.qid());
      assertEquals(labels(same), labels(window), window.qid());
    }
    // Lines 2k-1 hold ranks 6-10 and lines 2k ranks 1-5; the broken line 21 is a deep window.
    Map<Integer, Long> windowsByFirstRank = new HashMap<>();
    result
        .queries()
        .forEach(
            q ->
                windowsByFirstRank.merge(
                    q.passages().get(0).retrievalRank().getAsInt(), 1L, Long::sum));
    assertEquals(Map.of(1, 1100L, 6, 1099L), windowsByFirstRank);
  }

  @Test
  void dl19Top20WindowsHaveBm25RanksAndLabelsOfTheBenchmark() throws IOException {
    TrecBenchmark dl19 = TrecBenchmark.load(shared("trec-dl19-passage"));
    Qrels qrels = dl19.qrels().orElseThrow();
    Map<String, String> qids = new HashMap<>();
    dl19.queries().forEach(q -> qids.put(q.query(), q.qid()));
    for (String folder : List.of("gpt35-teacher", "gpt4-teacher")) {
      ReadResult result =
          FreeTextTeacherReader.builder()
              .queryIds(qids)
              .build()
              .read(shared(folder).resolve("dev-dl19-top20.jsonl"));
      assertEquals(172, result.report().rowsRead());
      assertEquals(1, result.report().count(ReadIssue.Kind.BROKEN_PERMUTATION), folder);
      assertEquals(171, result.queries().size());
      assertTrue(result.queries().stream().allMatch(q -> qids.containsValue(q.qid())));

      int matched = 0;
      for (TrainingQuery window : result.queries()) {
        BenchmarkQuery query = dl19.query(window.qid());
        for (TrainingPassage passage : window.passages()) {
          for (Candidate candidate : query.candidates()) {
            if (candidate.text().equals(passage.text())) {
              matched++;
              assertEquals(OptionalInt.of(candidate.bm25Rank()), passage.retrievalRank());
              OptionalInt grade = qrels.grade(window.qid(), candidate.docid());
              if (grade.isPresent()) {
                assertEquals(grade, passage.label());
              }
            }
          }
        }
      }
      // Some texts differ from the candidates' by whitespace; most match exactly.
      assertTrue(matched > 700, folder + ": only " + matched + " passages matched");
    }
  }

  @Test
  void dl21WithJudgedPassagesOutsideTheTop100() throws IOException {
    Path dir = shared("trec-dl21-passage");
    ReadResult candidatesOnly = TrecTrainingReader.builder().build().read(dir);
    assertEquals(53, candidatesOnly.queries().size());
    List<TrainingPassage> passages =
        candidatesOnly.queries().stream().flatMap(q -> q.passages().stream()).toList();
    assertEquals(5300, passages.size());
    assertEquals(2786, passages.stream().filter(p -> p.label().isPresent()).count());

    ReadResult withJudged =
        TrecTrainingReader.builder().includeJudgedOutsideCandidates(true).build().read(dir);
    assertTrue(withJudged.report().isClean(), withJudged.report().summary());
    // 10,828 judgments, 2,786 of them on candidates: 8,042 passages added.
    assertEquals(
        5300 + 8042, withJudged.queries().stream().mapToInt(q -> q.passages().size()).sum());
  }

  private static List<String> texts(TrainingQuery query) {
    return query.passages().stream().map(TrainingPassage::text).toList();
  }

  private static List<OptionalInt> labels(TrainingQuery query) {
    return query.passages().stream().map(TrainingPassage::label).toList();
  }
}
