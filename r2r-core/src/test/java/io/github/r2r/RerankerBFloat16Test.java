package io.github.r2r;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.r2r.model.Precision;
import io.github.r2r.model.PretrainedEncoder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code Reranker.builder().precision(Precision.BF16)}: scores stay within bfloat16 rounding of the
 * float32 ones, and the batch a document lands in moves its score by rounding only.
 */
class RerankerBFloat16Test {
  private static final String QUERY = "what is the capital of france";
  private static Reranker fp32;
  private static Reranker bf16;
  private static Reranker bf16OneByOne;

  @BeforeAll
  static void load() {
    fp32 = Reranker.builder().model(PretrainedEncoder.E5_SMALL_V2).build();
    bf16 = Reranker.builder().model(PretrainedEncoder.E5_SMALL_V2).precision(Precision.BF16).build();
    bf16OneByOne = Reranker.builder()
        .model(PretrainedEncoder.E5_SMALL_V2).precision(Precision.BF16).batchSize(1).workers(1).build();
  }

  @AfterAll
  static void close() {
    fp32.close();
    bf16.close();
    bf16OneByOne.close();
  }

  @Test
  void scoresStayWithinBFloat16RoundingOfFloat32() {
    float[] reference = RerankerTest.scoresById(fp32.rerank(QUERY, RerankerTest.DOCS));
    float[] low = RerankerTest.scoresById(bf16.rerank(QUERY, RerankerTest.DOCS));
    for (int i = 0; i < reference.length; i++) {
      assertEquals(reference[i], low[i], 3e-3, "document " + i);
    }
    assertEquals(fp32.rerank(QUERY, RerankerTest.DOCS).atRank(1).id(), bf16.rerank(QUERY, RerankerTest.DOCS).atRank(1).id());
  }

  @Test
  void batchCompositionMovesScoresByRoundingOnly() {
    float[] batched = RerankerTest.scoresById(bf16.rerank(QUERY, RerankerTest.DOCS));
    float[] alone = RerankerTest.scoresById(bf16OneByOne.rerank(QUERY, RerankerTest.DOCS));
    List<Double> differences = new ArrayList<>();
    for (int i = 0; i < batched.length; i++) {
      differences.add((double) Math.abs(batched[i] - alone[i]));
    }
    assertTrue(differences.stream().allMatch(d -> d <= 5e-4), "differences " + differences);
  }

  @Test
  void nullPrecisionIsRejected() {
    assertThrows(NullPointerException.class, () -> Reranker.builder().precision(null));
  }
}
