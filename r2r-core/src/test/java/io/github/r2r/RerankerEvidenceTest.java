package io.github.r2r;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.github.r2r.model.BertConfig;
import io.github.r2r.model.ModelConfig;
import io.github.r2r.model.Pooling;
import io.github.r2r.model.PretrainedEncoder;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.model.io.DType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Evidence explanations, on all-MiniLM-L6-v2 used zero-shot and on a tiny cross-encoder. */
class RerankerEvidenceTest {
  private static final String QUERY = "what is the capital of france";
  private static final List<String> DOCS =
      List.of(
          "The weather was mild last week. Paris is the capital and largest city of France. Cheese is popular in France and in many other countries.",
          "Giraffes are tall. They live in Africa.",
          "Berlin is a city in Germany.\nThe capital of France is Paris. It rains often.",
          "Python is a programming language. It was created by Guido van Rossum.",
          "Photosynthesis converts light into chemical energy.");

  private static Reranker plain;
  private static Reranker explaining;

  @BeforeAll
  static void load() {
    plain = Reranker.builder().model(PretrainedEncoder.ALL_MINILM_L6_V2).batchSize(4).build();
    explaining =
        Reranker.builder().model(PretrainedEncoder.ALL_MINILM_L6_V2).batchSize(4).explain(Explain.EVIDENCE, 2).build();
  }

  @AfterAll
  static void close() {
    plain.close();
    explaining.close();
  }

  @Test
  void onlyTheTopKGetEvidenceAndOnlyWhenAsked() {
    Ranking ranking = explaining.rerank(QUERY, DOCS);
    for (RankedDocument d : ranking) {
      assertEquals(d.rank() <= 2, d.evidence().isPresent(), ranking.toString());
    }
    assertTrue(plain.rerank(QUERY, DOCS).documents().stream().allMatch(d -> d.evidence().isEmpty()));
  }

  @Test
  void evidenceIsTheSentenceThatAnswers() {
    Ranking ranking = explaining.rerank(QUERY, DOCS);
    Evidence first = ranking.documents().stream().filter(d -> d.id().equals("0")).findFirst().orElseThrow()
        .evidence().orElseThrow();
    assertEquals(new Evidence("Paris is the capital and largest city of France.", 32, 80, first.score()), first);
    Evidence second = ranking.documents().stream().filter(d -> d.id().equals("2")).findFirst().orElseThrow()
        .evidence().orElseThrow();
    assertEquals("The capital of France is Paris.", second.text());
    for (RankedDocument d : ranking.topK(2)) {
      Evidence e = d.evidence().orElseThrow();
      assertEquals(e.text(), d.text().substring(e.start(), e.end()));
    }
  }

  @Test
  void evidenceScoreIsTheSentenceScoredAsADocumentAndTheBestCandidate() {
    RankedDocument top = explaining.rerank(QUERY, DOCS).atRank(1);
    Evidence evidence = top.evidence().orElseThrow();
    assertEquals(plain.rerank(QUERY, List.of(evidence.text())).atRank(1).score(), evidence.score(), 1e-5);
    List<String> candidates = List.of("Cheese is popular in France and in many other countries.", evidence.text());
    for (RankedDocument sentence : plain.rerank(QUERY, candidates)) {
      assertTrue(sentence.score() <= evidence.score() + 1e-5, sentence + " beats " + evidence);
    }
  }

  @Test
  void titlesAndQuestionsThatEchoTheQueryAreNotEvidence() {
    String doc =
        "What is the capital of France? Capital of France. "
            + "Paris has been the capital of France since the tenth century.";
    Evidence evidence = explaining.rerank(QUERY, List.of(doc)).atRank(1).evidence().orElseThrow();
    assertEquals("Paris has been the capital of France since the tenth century.", evidence.text());
  }

  @Test
  void scoresAndOrderAreIdenticalWithAndWithoutExplanations() {
    Ranking without = plain.rerank(QUERY, DOCS);
    Ranking with = explaining.rerank(QUERY, DOCS);
    assertEquals(without.size(), with.size());
    for (int r = 1; r <= without.size(); r++) {
      assertEquals(without.atRank(r).id(), with.atRank(r).id());
      assertEquals(without.atRank(r).score(), with.atRank(r).score());
      assertEquals(without.atRank(r).originalIndex(), with.atRank(r).originalIndex());
    }
  }

  @Test
  void crossEncoderModelsExplainWithTheirRankHead(@TempDir Path dir) throws IOException {
    byte[] tokenizerJson;
    try (InputStream in = getClass().getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
      tokenizerJson = in.readAllBytes();
    }
    ModelConfig tiny =
        new ModelConfig(
            "tiny-cross", new BertConfig(30522, 32, 2, 2, 64, 128, 2, 1e-12f), ScoringMode.CROSS_ENCODER,
            Pooling.MEAN, "", "", 128);
    try (RankingModel model = RankingModel.initialized(tiny, tokenizerJson, Device.cpu(), 11)) {
      model.save(dir, DType.F32, "# tiny test model\n");
    }
    try (Reranker cross = Reranker.builder().model(dir).build();
        Reranker crossExplaining = Reranker.builder().model(dir).explain(Explain.EVIDENCE).build()) {
      Ranking without = cross.rerank(QUERY, DOCS);
      Ranking with = crossExplaining.rerank(QUERY, DOCS);
      for (int r = 1; r <= DOCS.size(); r++) {
        assertEquals(without.atRank(r).score(), with.atRank(r).score());
        assertEquals(r <= 3, with.atRank(r).evidence().isPresent());
      }
      Evidence evidence = with.atRank(1).evidence().orElseThrow();
      assertEquals(evidence.text(), with.atRank(1).text().substring(evidence.start(), evidence.end()));
      assertEquals(cross.rerank(QUERY, List.of(evidence.text())).atRank(1).score(), evidence.score(), 1e-5);
    }
  }

  @Test
  void badSettingsAndValuesAreNamed() {
    Reranker.Builder builder = Reranker.builder();
    assertEquals(
        "explain mode is null",
        assertThrows(NullPointerException.class, () -> builder.explain((Explain) null, 3)).getMessage());
    assertEquals(
        "explain topK must be positive, got 0",
        assertThrows(IllegalArgumentException.class, () -> builder.explain(Explain.EVIDENCE, 0)).getMessage());
    assertEquals(
        "evidence text has 3 chars but its span [5, 7) has 2",
        assertThrows(IllegalArgumentException.class, () -> new Evidence("abc", 5, 7, 0f)).getMessage());
    Document doc = Document.of("d", "abc def");
    assertEquals(
        "evidence [0, 3) 'xyz' is not that span of document 'd'",
        assertThrows(
                IllegalArgumentException.class,
                () -> new RankedDocument(doc, 1f, 1, 0, Optional.of(new Evidence("xyz", 0, 3, 0f))))
            .getMessage());
    assertEquals(
        "evidence [4, 9) 'def g' is not that span of document 'd'",
        assertThrows(
                IllegalArgumentException.class,
                () -> new RankedDocument(doc, 1f, 1, 0, Optional.of(new Evidence("def g", 4, 9, 0f))))
            .getMessage());
  }
}
