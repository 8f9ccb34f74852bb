package io.github.r2r.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The BM25 baselines of the shared TREC DL data reproduce the published nDCG@10 (official
 * trec_eval). Skipped when the shared data is absent.
 */
class TrecBenchmarkAcceptanceTest {

  private static TrecBenchmark load(String name) throws IOException {
    Optional<Path> dir = SharedData.locate(name);
    assumeTrue(dir.isPresent(), "shared data " + name + " not found");
    return TrecBenchmark.load(dir.get());
  }

  private static TrecRun byBm25Score(TrecBenchmark benchmark) {
    TrecRun.Builder run = TrecRun.builder();
    for (BenchmarkQuery query : benchmark.queries()) {
      for (Candidate candidate : query.candidates()) {
        run.add(query.qid(), candidate.docid(), candidate.bm25Score());
      }
    }
    return run.build();
  }

  private static void assertBm25Ndcg(String name, int queries, double ndcgAt10) throws IOException {
    TrecBenchmark benchmark = load(name);
    Qrels qrels = benchmark.qrels().orElseThrow();
    Evaluator evaluator = Evaluator.trecDeepLearningPassage();

    EvaluationResult byRank = evaluator.evaluate(qrels, benchmark.bm25Run());
    assertEquals(queries, byRank.queryCount());
    assertEquals(ndcgAt10, byRank.mean("ndcg@10"), 5e-5);

    EvaluationResult byScore = evaluator.evaluate(qrels, byBm25Score(benchmark));
    assertEquals(ndcgAt10, byScore.mean("ndcg@10"), 5e-5);
  }

  @Test
  void dl19Bm25() throws IOException {
    assertBm25Ndcg("trec-dl19-passage", 43, 0.5058);
  }

  @Test
  void dl21Bm25() throws IOException {
    assertBm25Ndcg("trec-dl21-passage", 53, 0.4458);
  }

  @Test
  void dl22LoadsWithoutQrels() throws IOException {
    TrecBenchmark benchmark = load("trec-dl22-passage-noqrels");
    assertEquals(76, benchmark.queries().size());
    assertEquals(Optional.empty(), benchmark.qrels());
    assertEquals(100, benchmark.queries().get(0).candidates().size());
  }
}
