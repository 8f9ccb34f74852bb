package io.github.r2r;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.r2r.model.Precision;
import io.github.r2r.model.PretrainedEncoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code Reranker.builder().precision(Precision.INT8)}: scores stay within int8 rounding of the
 * float32 ones, whichever way the documents are batched.
 */
class RerankerInt8Test {
  private static final String QUERY = "what is the capital of france";
  private static Reranker fp32;
  private static Reranker int8;
  private static Reranker int8OneByOne;

  @BeforeAll
  static void load() {
    fp32 = Reranker.builder().model(PretrainedEncoder.E5_SMALL_V2).build();
    int8 = Reranker.builder().model(PretrainedEncoder.E5_SMALL_V2).precision(Precision.INT8).build();
    int8OneByOne = Reranker.builder()
        .model(PretrainedEncoder.E5_SMALL_V2).precision(Precision.INT8).batchSize(1).workers(1).build();
  }

  @AfterAll
  static void close() {
    fp32.close();
    int8.close();
    int8OneByOne.close();
  }

  @Test
  void scoresStayWithinInt8RoundingOfFloat32() {
    float[] reference = RerankerTest.scoresById(fp32.rerank(QUERY, RerankerTest.DOCS));
    float[] low = RerankerTest.scoresById(int8.rerank(QUERY, RerankerTest.DOCS));
    for (int i = 0; i < reference.length; i++) {
      assertEquals(reference[i], low[i], 1e-2, "document " + i);
    }
    assertEquals(fp32.rerank(QUERY, RerankerTest.DOCS).atRank(1).id(), int8.rerank(QUERY, RerankerTest.DOCS).atRank(1).id());
  }

  @Test
  void batchingMovesScoresByInt8RoundingOnly() {
    // Batch size 1 has no padding, so attention sums in another order; int8 rounding can turn that
    // into a quantisation step, as large as its difference from float32 and no larger.
    float[] batched = RerankerTest.scoresById(int8.rerank(QUERY, RerankerTest.DOCS));
    float[] alone = RerankerTest.scoresById(int8OneByOne.rerank(QUERY, RerankerTest.DOCS));
    for (int i = 0; i < batched.length; i++) {
      assertEquals(alone[i], batched[i], 1e-2, "document " + i);
    }
  }
}
