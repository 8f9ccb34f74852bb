package io.github.r2r;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.r2r.model.Precision;
import io.github.r2r.model.PretrainedEncoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code Reranker.builder().precision(...)} for a lower precision: scores stay within its rounding of
 * the float32 ones, the best document is the same, and the batch a document lands in moves its score
 * by rounding only. Each precision's class gives the bounds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LowPrecisionRerankerTest {
  private static final String QUERY = "what is the capital of france";
  private Reranker fp32;
  private Reranker low;
  private Reranker lowOneByOne;

  abstract Precision precision();

  /** Largest difference allowed between a float32 score and this precision's. */
  abstract double toleranceToFloat32();

  /** Largest difference allowed between a score in a batch of several and in a batch of one. */
  abstract double batchTolerance();

  @BeforeAll
  void load() {
    fp32 = Reranker.builder().model(PretrainedEncoder.E5_SMALL_V2).build();
    low = Reranker.builder().model(PretrainedEncoder.E5_SMALL_V2).precision(precision()).build();
    lowOneByOne = Reranker.builder()
        .model(PretrainedEncoder.E5_SMALL_V2).precision(precision()).batchSize(1).workers(1).build();
  }

  @AfterAll
  void close() {
    fp32.close();
    low.close();
    lowOneByOne.close();
  }

  @Test
  void scoresStayWithinRoundingOfFloat32() {
    Ranking referenceRanking = fp32.rerank(QUERY, RerankerTest.DOCS);
    Ranking lowRanking = low.rerank(QUERY, RerankerTest.DOCS);
    float[] reference = RerankerTest.scoresById(referenceRanking);
    float[] scores = RerankerTest.scoresById(lowRanking);
    for (int i = 0; i < reference.length; i++) {
      assertEquals(reference[i], scores[i], toleranceToFloat32(), "document " + i);
    }
    assertEquals(referenceRanking.atRank(1).id(), lowRanking.atRank(1).id());
  }

  @Test
  void batchCompositionMovesScoresByRoundingOnly() {
    float[] batched = RerankerTest.scoresById(low.rerank(QUERY, RerankerTest.DOCS));
    float[] alone = RerankerTest.scoresById(lowOneByOne.rerank(QUERY, RerankerTest.DOCS));
    for (int i = 0; i < batched.length; i++) {
      assertEquals(alone[i], batched[i], batchTolerance(), "document " + i);
    }
  }
}
