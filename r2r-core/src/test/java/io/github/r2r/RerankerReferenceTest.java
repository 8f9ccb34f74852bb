package io.github.r2r;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.github.r2r.eval.BenchmarkQuery;
import io.github.r2r.eval.Candidate;
import io.github.r2r.eval.SharedData;
import io.github.r2r.eval.TrecBenchmark;
import io.github.r2r.model.ModelConfig;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.text.InputSequence;
import io.github.r2r.text.PaddedBatch;
import io.github.r2r.text.SequenceBuilder;
import io.github.r2r.text.TextTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Reranker's optimised scoring (fused inference path, length-sorted batches) against a reference
 * computed here the plain way: every sequence alone through the op-by-op encoder (a bi-encoder's cosine
 * with the query, or a cross-encoder's logit), best window per document. Scores must agree within 1e-4.
 */
class RerankerReferenceTest {
  private static final double TOLERANCE = 1e-4;
  private static Reranker reranker;

  @BeforeAll
  static void load() {
    // The bundled default model; the reference is the plain cosine, so without query feedback
    // (QueryFeedbackTest checks that on top of these scores).
    reranker = Reranker.builder().queryFeedback(QueryFeedback.none()).build();
  }

  @AfterAll
  static void close() {
    reranker.close();
  }

  @Test
  void handWrittenDocumentsIncludingALongOne() {
    assertMatchesReference(
        "what is the capital of france",
        List.of(
            "Paris is the capital and most populous city of France.",
            "Dogs bark.",
            "The Eiffel Tower is a wrought-iron lattice tower on the Champ de Mars in Paris. ".repeat(40),
            "France's capital, Paris, has about two million inhabitants and is a major European city."));
  }

  @Test
  void dl19CandidatesOfTwoQueries() throws Exception {
    Optional<Path> data = SharedData.locate("trec-dl19-passage");
    assumeTrue(data.isPresent(), "shared DL19 data not found");
    for (BenchmarkQuery q : TrecBenchmark.load(data.get()).queries().subList(0, 2)) {
      assertMatchesReference(q.query(), q.candidates().stream().map(Candidate::text).limit(40).toList());
    }
  }

  private static void assertMatchesReference(String query, List<String> documents) {
    float[] fast = new float[documents.size()];
    for (RankedDocument d : reranker.rerank(query, documents)) {
      fast[d.originalIndex()] = d.score();
    }
    RankingModel model = reranker.model();
    ModelConfig config = model.config();
    TextTokenizer tokenizer = model.tokenizer();
    SequenceBuilder builder = new SequenceBuilder(tokenizer.clsId(), tokenizer.sepId(), config.maxLength());
    LongDocumentStrategy windows = LongDocumentStrategy.defaults();
    boolean cross = config.scoring() == ScoringMode.CROSS_ENCODER;
    float[] queryEmbedding =
        cross
            ? null
            : referenceEmbedding(model, builder.single(tokenizer.tokenize(config.queryPrefix() + query)));
    for (int d = 0; d < documents.size(); d++) {
      List<InputSequence> docWindows =
          cross
              ? builder.pairWindows(
                  tokenizer.tokenize(config.queryPrefix() + query),
                  tokenizer.tokenize(config.passagePrefix() + documents.get(d)),
                  windows.windowTokens(),
                  windows.strideTokens(),
                  windows.maxWindows())
              : builder.singleWindows(
                  tokenizer.tokenize(config.passagePrefix()),
                  tokenizer.tokenize(documents.get(d)),
                  windows.windowTokens(),
                  windows.strideTokens(),
                  windows.maxWindows());
      float best = Float.NEGATIVE_INFINITY;
      for (InputSequence window : docWindows) {
        best = Math.max(best, cross ? referenceLogit(model, window) : dot(queryEmbedding, referenceEmbedding(model, window)));
      }
      assertEquals(best, fast[d], TOLERANCE, "document " + d + " of query '" + query + "'");
    }
  }

  private static float dot(float[] a, float[] b) {
    float sum = 0;
    for (int k = 0; k < a.length; k++) {
      sum += a[k] * b[k];
    }
    return sum;
  }

  private static float referenceLogit(RankingModel model, InputSequence pair) {
    try (NDManager scope = model.manager().newSubManager()) {
      NDList inputs = new PaddedBatch(List.of(pair)).toNDList(scope);
      return model.crossLogits(new ParameterStore(scope, false), inputs, false).toFloatArray()[0];
    }
  }

  private static float[] referenceEmbedding(RankingModel model, InputSequence sequence) {
    try (NDManager scope = model.manager().newSubManager()) {
      NDList inputs = new PaddedBatch(List.of(sequence)).toNDList(scope);
      NDArray pooled = model.pooledEmbedding(new ParameterStore(scope, false), inputs, false);
      return pooled.div(pooled.norm(new int[] {1}, true)).toFloatArray();
    }
  }
}
