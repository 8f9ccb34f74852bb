package io.github.r2r.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrecBenchmarkTest {
  @TempDir Path dir;

  static Path fixture() throws URISyntaxException {
    return Path.of(TrecBenchmarkTest.class.getResource("/eval/tiny-benchmark").toURI());
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  @Test
  void loadsQueriesCandidatesAndQrels() throws Exception {
    TrecBenchmark benchmark = TrecBenchmark.load(fixture());
    assertEquals(2, benchmark.queries().size());
    BenchmarkQuery first = benchmark.queries().get(0);
    assertEquals("101", first.qid());
    assertEquals("what is a flea", first.query());
    assertEquals(List.of("p3", "p1", "p2"), first.candidateDocids());
    assertEquals(new Candidate("p1", "Dogs get fleas.", 2, 11.0), first.candidates().get(1));
    // The query text comes from queries.tsv (with its doubled space).
    assertEquals("how tall is  mount everest", benchmark.query("102").query());
    assertEquals(3, benchmark.qrels().orElseThrow().judgments("101").size());
  }

  @Test
  void bm25RunEvaluatesByHand() throws Exception {
    TrecBenchmark benchmark = TrecBenchmark.load(fixture());
    TrecRun bm25 = benchmark.bm25Run();
    // File order, although p1 and p2 tie on bm25_score.
    assertEquals(List.of("p3", "p1", "p2"), bm25.rankedDocids("101"));
    EvaluationResult result =
        Evaluator.trecDeepLearningPassage().evaluate(benchmark.qrels().orElseThrow(), bm25);
    // 101: p3 (3) at rank 1; ideal 3, 2 (p7 judged, not retrieved) -> 3 / (3 + 2/log2(3)).
    // 102: p8 (1) at rank 2; ideal 1 -> 1/log2(3).
    double expected = (3 / (3 + 2 / log2(3)) + 1 / log2(3)) / 2;
    assertEquals(expected, result.mean("ndcg@10"), 1e-12);
  }

  @Test
  void qrelsAreOptional() throws Exception {
    copyFixture();
    Files.delete(dir.resolve("qrels.txt"));
    assertEquals(Optional.empty(), TrecBenchmark.load(dir).qrels());
  }

  @Test
  void unknownQueryIdIsRejected() throws Exception {
    assertProblem(
        "queries.tsv",
        "101\twhat is a flea\n",
        "candidates.jsonl:2: query '102' is not in queries.tsv");
  }

  @Test
  void queryWithoutCandidatesIsRejected() throws Exception {
    assertProblem(
        "queries.tsv",
        "101\twhat is a flea\n102\thow tall is mount everest\n103\twhat is r2r\n",
        "candidates.jsonl: no candidates for 1 queries of queries.tsv, first: [103]");
  }

  @Test
  void queriesLineWithoutTabIsRejected() throws Exception {
    assertProblem(
        "queries.tsv",
        "101\twhat is a flea\n102 how tall is mount everest\n",
        "queries.tsv:2: expected 'qid<TAB>query' but found '102 how tall is mount everest'");
  }

  @Test
  void invalidJsonIsRejectedWithItsLine() throws Exception {
    copyFixture();
    List<String> lines = Files.readAllLines(dir.resolve("candidates.jsonl"));
    Files.write(dir.resolve("candidates.jsonl"), List.of(lines.get(0), "{\"qid\": \"102\","));
    DataFormatException e = assertThrows(DataFormatException.class, () -> TrecBenchmark.load(dir));
    assertTrue(
        e.getMessage().startsWith(dir.resolve("candidates.jsonl") + ":2: invalid JSON"),
        e.getMessage());
  }

  @Test
  void missingCandidateFieldIsNamed() throws Exception {
    assertCandidatesProblem(
        "{\"qid\": \"101\", \"query\": \"what is a flea\", \"candidates\": "
            + "[{\"docid\": \"p3\", \"bm25_rank\": 1, \"bm25_score\": 1.0}]}",
        "candidates.jsonl:1: missing field 'candidates[0].text'");
  }

  @Test
  void candidatesOutOfBm25OrderAreRejected() throws Exception {
    assertCandidatesProblem(
        "{\"qid\": \"101\", \"query\": \"what is a flea\", \"candidates\": ["
            + "{\"docid\": \"p3\", \"text\": \"t\", \"bm25_rank\": 2, \"bm25_score\": 1.0},"
            + "{\"docid\": \"p4\", \"text\": \"u\", \"bm25_rank\": 1, \"bm25_score\": 2.0}]}",
        "candidates.jsonl:1: candidates of query '101' are not in BM25 order:"
            + " rank 1 follows rank 2");
  }

  @Test
  void differentQueryTextIsRejected() throws Exception {
    assertCandidatesProblem(
        "{\"qid\": \"101\", \"query\": \"what is a dog\", \"candidates\": []}",
        "candidates.jsonl:1: query text 'what is a dog' differs from 'what is a flea'"
            + " in queries.tsv");
  }

  @Test
  void fractionalRankIsRejected() throws Exception {
    assertCandidatesProblem(
        "{\"qid\": \"101\", \"query\": \"what is a flea\", \"candidates\": "
            + "[{\"docid\": \"p3\", \"text\": \"t\", \"bm25_rank\": 1.5, \"bm25_score\": 1.0}]}",
        "candidates.jsonl:1: field 'candidates[0].bm25_rank' must be an integer, got 1.5");
  }

  private void assertCandidatesProblem(String firstLine, String expectedSuffix) throws Exception {
    copyFixture();
    List<String> lines = Files.readAllLines(dir.resolve("candidates.jsonl"));
    Files.write(dir.resolve("candidates.jsonl"), List.of(firstLine, lines.get(1)));
    DataFormatException e = assertThrows(DataFormatException.class, () -> TrecBenchmark.load(dir));
    assertEquals(dir.resolve(expectedSuffix).toString(), e.getMessage());
  }

  private void assertProblem(String file, String content, String expectedSuffix) throws Exception {
    copyFixture();
    Files.writeString(dir.resolve(file), content);
    DataFormatException e = assertThrows(DataFormatException.class, () -> TrecBenchmark.load(dir));
    assertEquals(dir.resolve(expectedSuffix).toString(), e.getMessage());
  }

  private void copyFixture() throws IOException, URISyntaxException {
    for (String name : List.of("queries.tsv", "candidates.jsonl", "qrels.txt")) {
      Files.copy(fixture().resolve(name), dir.resolve(name));
    }
  }
}
