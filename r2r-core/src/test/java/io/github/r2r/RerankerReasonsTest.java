package io.github.r2r;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.github.r2r.generate.DecodingOptions;
import io.github.r2r.generate.ReasonConfig;
import io.github.r2r.generate.ReasonModel;
import io.github.r2r.model.BertConfig;
import io.github.r2r.model.ModelConfig;
import io.github.r2r.model.Pooling;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.model.io.DType;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pointwise and comparative reasons through the Reranker, on a tiny random model directory with a
 * (random) reason decoder: the contract, not the quality (docs/explanations.md has the quality).
 */
class RerankerReasonsTest {
  private static final String QUERY = "what is the capital of france";
  private static final List<String> DOCS =
      List.of(
          "Paris is the capital and largest city of France.",
          "Giraffes are tall. They live in Africa.",
          "Berlin is a city in Germany.",
          "Photosynthesis converts light into chemical energy.",
          "The capital of Italy is Rome.");

  @TempDir static Path withReasons;
  @TempDir static Path withoutReasons;

  @BeforeAll
  static void writeModels() throws Exception {
    ModelConfig config =
        new ModelConfig("tiny-reasons", new BertConfig(30522, 32, 2, 2, 64, 64, 2, 1e-12f), ScoringMode.BI_ENCODER,
            Pooling.MEAN, "", "", 64);
    byte[] tokenizer;
    try (InputStream in = RerankerReasonsTest.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
      tokenizer = in.readAllBytes();
    }
    try (RankingModel model = RankingModel.initialized(config, tokenizer, Device.cpu(), 21);
        ReasonModel reasons = ReasonModel.warmStarted(model, new ReasonConfig("tiny-reasons", 1, 16, 48), 5)) {
      model.save(withReasons, DType.F32, "# tiny\n");
      reasons.save(withReasons, DType.F32);
      model.save(withoutReasons, DType.F32, "# tiny\n");
    }
  }

  private static Reranker reranker(Path dir, EnumSet<Explain> modes) {
    return Reranker.builder().model(dir).explain(modes, 3).reasonDecoding(new DecodingOptions(2, 8, 3, 1.0)).build();
  }

  @Test
  void topDocumentsGetReasonsAndAdjacentPairsGetComparisons() {
    try (Reranker reranker = reranker(withReasons, EnumSet.of(Explain.POINTWISE, Explain.COMPARATIVE))) {
      Ranking ranking = reranker.rerank(QUERY, DOCS);
      for (RankedDocument d : ranking) {
        assertEquals(d.rank() <= 3, d.reason().isPresent(), "rank " + d.rank());
        assertTrue(d.evidence().isEmpty(), "evidence was not asked for");
      }
      List<Comparison> comparisons = ranking.comparisons();
      assertEquals(2, comparisons.size());
      for (int i = 0; i < 2; i++) {
        Comparison c = comparisons.get(i);
        assertEquals(i + 1, c.aboveRank());
        assertEquals(ranking.atRank(i + 1).id(), c.aboveId());
        assertEquals(ranking.atRank(i + 2).id(), c.belowId());
      }
      // Deterministic: the same call gives the same text.
      Ranking again = reranker.rerank(QUERY, DOCS);
      assertEquals(ranking.atRank(1).reason(), again.atRank(1).reason());
      assertEquals(comparisons, again.comparisons());
    }
  }

  @Test
  void explanationsNeverChangeScoresOrOrder() {
    try (Reranker plain = Reranker.builder().model(withReasons).build();
        Reranker explaining =
            reranker(withReasons, EnumSet.of(Explain.EVIDENCE, Explain.POINTWISE, Explain.COMPARATIVE))) {
      Ranking a = plain.rerank(QUERY, DOCS);
      Ranking b = explaining.rerank(QUERY, DOCS);
      for (int r = 1; r <= DOCS.size(); r++) {
        assertEquals(a.atRank(r).id(), b.atRank(r).id());
        assertEquals(a.atRank(r).score(), b.atRank(r).score(), 0f);
      }
      assertTrue(b.atRank(1).evidence().isPresent() && b.atRank(1).reason().isPresent());
      assertTrue(a.comparisons().isEmpty() && a.atRank(1).reason().isEmpty());
    }
  }

  @Test
  void reasonsDecodedSideBySideEqualReasonsDecodedInOneBatch() {
    EnumSet<Explain> all = EnumSet.of(Explain.EVIDENCE, Explain.POINTWISE, Explain.COMPARATIVE);
    DecodingOptions decoding = new DecodingOptions(2, 8, 3, 1.0);
    try (Reranker oneWorker =
            Reranker.builder().model(withReasons).workers(1).explain(all, 3).reasonDecoding(decoding).build();
        Reranker threeWorkers =
            Reranker.builder().model(withReasons).workers(3).explain(all, 3).reasonDecoding(decoding).build()) {
      Ranking a = oneWorker.rerank(QUERY, DOCS);
      Ranking b = threeWorkers.rerank(QUERY, DOCS);
      for (int r = 1; r <= DOCS.size(); r++) {
        assertEquals(a.atRank(r).id(), b.atRank(r).id());
        assertEquals(a.atRank(r).score(), b.atRank(r).score(), 0f);
        assertEquals(a.atRank(r).reason(), b.atRank(r).reason(), "rank " + r);
        assertEquals(a.atRank(r).evidence(), b.atRank(r).evidence(), "rank " + r);
      }
      assertEquals(a.comparisons(), b.comparisons());
    }
  }

  @Test
  void pointwiseOnlyMakesNoComparisonsAndShortRankingsFewerPairs() {
    try (Reranker reranker = reranker(withReasons, EnumSet.of(Explain.POINTWISE))) {
      assertTrue(reranker.rerank(QUERY, DOCS).comparisons().isEmpty());
    }
    try (Reranker reranker = reranker(withReasons, EnumSet.of(Explain.COMPARATIVE))) {
      Ranking two = reranker.rerank(QUERY, DOCS.subList(0, 2));
      assertEquals(1, two.comparisons().size());
      assertFalse(two.atRank(1).reason().isPresent());
      assertTrue(reranker.rerank(QUERY, DOCS.subList(0, 1)).comparisons().isEmpty());
    }
  }

  @Test
  void theBundledStudentExplainsWithTheDecoderAndHeadShippedForItsBaseEncoder() {
    // The bundled student declares (BundledModel.explainers) that e5-small-v2's decoder and head fit it.
    EnumSet<Explain> all = EnumSet.of(Explain.EVIDENCE, Explain.POINTWISE, Explain.COMPARATIVE);
    try (Reranker plain = Reranker.builder().build();
        Reranker explaining = Reranker.builder().explain(all, 2).reasonDecoding(new DecodingOptions(1, 12, 3, 1.0)).build()) {
      Ranking ranking = explaining.rerank(QUERY, DOCS.subList(0, 3));
      assertEquals("Paris is the capital and largest city of France.", ranking.atRank(1).text());
      for (int rank = 1; rank <= 2; rank++) {
        assertFalse(ranking.atRank(rank).reason().orElseThrow().isBlank());
        assertTrue(ranking.atRank(rank).evidence().isPresent());
        assertEquals(plain.rerank(QUERY, DOCS.subList(0, 3)).atRank(rank).score(), ranking.atRank(rank).score());
      }
      assertEquals(1, ranking.comparisons().size());
      assertFalse(ranking.comparisons().get(0).reason().isBlank());
    }
  }

  @Test
  void theBundledDecoderKeepsToItsLimitOfWordsAbsentFromTheQueryAndDocuments() {
    EnumSet<Explain> reasons = EnumSet.of(Explain.POINTWISE, Explain.COMPARATIVE);
    List<String> docs = DOCS.subList(0, 3);
    for (int limit : new int[] {DecodingOptions.UNLIMITED, 1, 0}) {
      DecodingOptions decoding = DecodingOptions.defaults().withMaxTokens(20).withMaxUngroundedWords(limit);
      try (Reranker reranker = Reranker.builder().explain(reasons, 2).reasonDecoding(decoding).build()) {
        Ranking ranking = reranker.rerank(QUERY, docs);
        long ungrounded = 0;
        for (int rank = 1; rank <= 2; rank++) {
          ungrounded += ungroundedWords(ranking.atRank(rank).reason().orElseThrow(), List.of(QUERY, ranking.atRank(rank).text()));
        }
        String comparison = ranking.comparisons().get(0).reason();
        ungrounded += ungroundedWords(comparison, List.of(QUERY, ranking.atRank(1).text(), ranking.atRank(2).text()));
        if (limit == DecodingOptions.UNLIMITED) {
          // The teacher's framing ("passage", "relevant") is nowhere in the documents: the limit binds.
          assertTrue(ungrounded > 3, "unlimited reasons have " + ungrounded + " ungrounded words");
        } else {
          assertTrue(ungrounded <= 3L * limit, "limit " + limit + ": " + ungrounded + " ungrounded words in 3 reasons");
        }
      }
    }
  }

  /**
   * Content words of {@code reason} absent from {@code sources}, as {@link io.github.r2r.eval.Groundedness}
   * counts them. A reason cut at maxTokens may end inside a word: its last word is then left out.
   */
  private static long ungroundedWords(String reason, List<String> sources) {
    String whole = reason.endsWith(".") ? reason : reason.substring(0, Math.max(0, reason.lastIndexOf(' ')));
    int words = io.github.r2r.eval.StopWords.contentWords(whole).size();
    double share = io.github.r2r.eval.Groundedness.of(whole, sources).orElse(1.0);
    return Math.round((1 - share) * words);
  }

  @Test
  void withEvidenceTheReasonOfALongDocumentIsDecodedFromItsEvidenceSentence() {
    String filler = "The city council discussed the maintenance budget of municipal parks and agreed to revisit the plan. ";
    String answer = "Paris is the capital and largest city of France.";
    String longDocument = filler.repeat(40) + answer + " " + filler.repeat(5);
    List<String> docs = List.of(longDocument, DOCS.get(1));
    DecodingOptions decoding = DecodingOptions.defaults().withMaxTokens(20);
    try (Reranker reasonsOnly = Reranker.builder().explain(EnumSet.of(Explain.POINTWISE), 2).reasonDecoding(decoding).build();
        Reranker withEvidence = Reranker.builder().explain(EnumSet.of(Explain.EVIDENCE, Explain.POINTWISE), 2)
            .reasonDecoding(decoding).build()) {
      Ranking plain = reasonsOnly.rerank(QUERY, docs);
      Ranking focused = withEvidence.rerank(QUERY, docs);
      RankedDocument longOne = focused.atRank(1).text().equals(longDocument) ? focused.atRank(1) : focused.atRank(2);
      RankedDocument shortOne = focused.atRank(1).text().equals(longDocument) ? focused.atRank(2) : focused.atRank(1);
      assertEquals(answer, longOne.evidence().orElseThrow().text());
      // The decoder reads only the start of the long document unless it is focused on the evidence.
      assertFalse(longOne.reason().equals(plain.atRank(longOne.rank()).reason()), longOne.reason().orElseThrow());
      // A document the decoder reads whole gets the same reason either way.
      assertEquals(plain.atRank(shortOne.rank()).reason(), shortOne.reason());
    }
  }

  @Test
  void aModelWithoutADecoderCannotGiveReasons() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> reranker(withoutReasons, EnumSet.of(Explain.POINTWISE)).close());
    assertTrue(e.getMessage().startsWith("model 'tiny-reasons' has no reason decoder"), e.getMessage());
  }

  @Test
  void decodingTheDecoderCannotDoFailsAtBuildNotAtTheFirstCall() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Reranker.builder().explain(Explain.POINTWISE)
            .reasonDecoding(DecodingOptions.defaults().withMaxTokens(64)).build());
    assertEquals("maxTokens 64 must be below the decoder's max_reason_tokens 64", e.getMessage());
  }

  @Test
  void explainSettingsAreChecked() {
    Reranker.Builder builder = Reranker.builder();
    assertEquals("Explain.NONE cannot be combined with [NONE, EVIDENCE]",
        assertThrows(IllegalArgumentException.class,
            () -> builder.explain(EnumSet.of(Explain.NONE, Explain.EVIDENCE), 3)).getMessage());
    assertEquals("explain modes are null",
        assertThrows(NullPointerException.class, () -> builder.explain((java.util.Set<Explain>) null, 3))
            .getMessage());
    assertEquals("decoding options is null",
        assertThrows(NullPointerException.class, () -> builder.reasonDecoding(null)).getMessage());
    // Immutable sets throw NullPointerException for contains(null); the null check must not ask them.
    builder.explain(java.util.Set.of(Explain.EVIDENCE, Explain.POINTWISE), 3);
    java.util.Set<Explain> withNull = new java.util.HashSet<>(java.util.Arrays.asList(Explain.EVIDENCE, null));
    assertEquals("explain modes contain null",
        assertThrows(IllegalArgumentException.class, () -> builder.explain(withNull, 3)).getMessage());
  }
}
