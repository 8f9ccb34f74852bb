package io.github.r2r;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.github.r2r.evidence.EvidenceFeatures;
import io.github.r2r.evidence.EvidenceHead;
import io.github.r2r.model.BertConfig;
import io.github.r2r.model.ModelConfig;
import io.github.r2r.model.Pooling;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.model.SequenceRunner;
import io.github.r2r.model.io.DType;
import io.github.r2r.text.SentenceSplitter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Evidence chosen by a trained head: which head is used, how it scores, and the errors. */
class RerankerEvidenceHeadTest {
  private static final String QUERY = "when was the eiffel tower built";
  private static final List<String> DOCS = List.of(
      "The Eiffel Tower is a wrought iron lattice tower in Paris. It was built from 1887 to 1889 for the"
          + " World's Fair. Gustave Eiffel's company designed and built the famous tower.",
      "Giraffes are tall animals with long necks. They live in the savannas of Africa and eat leaves.",
      "The tower was finished in March 1889 after two years of work by three hundred workers.");

  @TempDir static Path root;
  private static Path withHead;
  private static Path withoutHead;
  private static Path crossWithHead;

  @BeforeAll
  static void models() throws IOException {
    withHead = root.resolve("with-head");
    withoutHead = root.resolve("without-head");
    crossWithHead = root.resolve("cross-with-head");
    save(ScoringMode.BI_ENCODER, withHead);
    save(ScoringMode.BI_ENCODER, withoutHead);
    save(ScoringMode.CROSS_ENCODER, crossWithHead);
    randomHead(32, 3).save(withHead);
    randomHead(32, 3).save(crossWithHead);
  }

  @Test
  void theModelDirectorysHeadChoosesTheEvidence() throws IOException {
    EvidenceHead head = EvidenceHead.load(withHead);
    try (Reranker reranker = Reranker.builder().model(withHead).explain(Explain.EVIDENCE, 3).build();
        RankingModel model = RankingModel.load(withHead, Device.cpu())) {
      Ranking ranking = reranker.rerank(QUERY, DOCS);
      EvidenceFeatures.ForQuery features = new EvidenceFeatures(model, SentenceSplitter.english(), 128)
          .compute(QUERY, ranking.topK(3).stream().map(RankedDocument::text).toList(), SequenceRunner.inOrder(8));
      for (int r = 1; r <= 3; r++) {
        EvidenceFeatures.Candidates c = features.documents().get(r - 1);
        int best = 0;
        float bestScore = Float.NEGATIVE_INFINITY;
        for (int s = 0; s < c.sentences().size(); s++) {
          float score = head.score(features.query(), c.sentenceCosines()[s], c.spanStates()[s]);
          if (score > bestScore) {
            best = s;
            bestScore = score;
          }
        }
        Evidence evidence = ranking.atRank(r).evidence().orElseThrow();
        assertEquals(c.sentences().get(best).text(), evidence.text());
        assertEquals(bestScore, evidence.score(), 1e-4);
        assertEquals(evidence.text(), ranking.atRank(r).text().substring(evidence.start(), evidence.end()));
      }
    }
  }

  @Test
  void zeroShotIgnoresTheHeadAndScoresSentencesAsDocuments() {
    try (Reranker plain = Reranker.builder().model(withHead).build();
        Reranker zeroShot = Reranker.builder().model(withHead).explain(Explain.EVIDENCE, 1)
            .evidenceScoring(EvidenceScoring.ZERO_SHOT).build()) {
      Evidence evidence = zeroShot.rerank(QUERY, DOCS).atRank(1).evidence().orElseThrow();
      assertEquals(plain.rerank(QUERY, List.of(evidence.text())).atRank(1).score(), evidence.score(), 1e-5);
    }
  }

  @Test
  void scoresAndOrderDoNotDependOnTheHead() {
    try (Reranker plain = Reranker.builder().model(withHead).build();
        Reranker explaining = Reranker.builder().model(withHead).explain(Explain.EVIDENCE, 3).build()) {
      Ranking without = plain.rerank(QUERY, DOCS);
      Ranking with = explaining.rerank(QUERY, DOCS);
      for (int r = 1; r <= DOCS.size(); r++) {
        assertEquals(without.atRank(r).id(), with.atRank(r).id());
        assertEquals(without.atRank(r).score(), with.atRank(r).score());
      }
    }
  }

  @Test
  void withoutAHeadAutoFallsBackToZeroShotAndTrainedHeadFails() {
    try (Reranker auto = Reranker.builder().model(withoutHead).explain(Explain.EVIDENCE, 1).build();
        Reranker plain = Reranker.builder().model(withoutHead).build()) {
      Evidence evidence = auto.rerank(QUERY, DOCS).atRank(1).evidence().orElseThrow();
      assertEquals(plain.rerank(QUERY, List.of(evidence.text())).atRank(1).score(), evidence.score(), 1e-5);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Reranker.builder()
        .model(withoutHead).explain(Explain.EVIDENCE).evidenceScoring(EvidenceScoring.TRAINED_HEAD).build());
    assertTrue(e.getMessage().contains("has no trained evidence head: train one with io.github.r2r.examples.TrainEvidence"),
        e.getMessage());
  }

  @Test
  void headsThatDoNotFitTheModelAreRejected(@TempDir Path dir) throws IOException {
    IllegalArgumentException cross = assertThrows(IllegalArgumentException.class,
        () -> Reranker.builder().model(crossWithHead).explain(Explain.EVIDENCE).build());
    assertTrue(cross.getMessage().contains("is a CROSS_ENCODER, but an evidence head reads a bi-encoder's query embedding"),
        cross.getMessage());

    save(ScoringMode.BI_ENCODER, dir);
    randomHead(16, 2).save(dir);
    IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
        () -> Reranker.builder().model(dir).explain(Explain.EVIDENCE).build());
    assertTrue(size.getMessage().contains("reads 16-dimensional states, but the encoder has 32"), size.getMessage());

    Files.write(dir.resolve(EvidenceHead.WEIGHTS_FILE), new byte[] {7, 7, 7});
    UncheckedIOException malformed = assertThrows(UncheckedIOException.class,
        () -> Reranker.builder().model(dir).explain(Explain.EVIDENCE).build());
    assertTrue(malformed.getMessage().contains(EvidenceHead.WEIGHTS_FILE), malformed.getMessage());
    // Without evidence the head is not read at all.
    Reranker.builder().model(dir).build().close();
  }

  @Test
  void theBundledModelShipsAHeadAndExplainsWithIt() throws IOException {
    EvidenceHead head = EvidenceHead.bundled("e5-small-v2").orElseThrow(() -> new AssertionError("no shipped head"));
    try (Reranker reranker = Reranker.builder().explain(Explain.EVIDENCE, 1).build()) {
      RankedDocument top = reranker.rerank(QUERY, DOCS).atRank(1);
      Evidence evidence = top.evidence().orElseThrow();
      // The Reranker's choice, scored again from the features: the shipped head is the one it used.
      EvidenceFeatures.ForQuery features = new EvidenceFeatures(reranker.model(), SentenceSplitter.english(), 512)
          .compute(QUERY, List.of(top.text()), SequenceRunner.inOrder(8));
      EvidenceFeatures.Candidates c = features.documents().get(0);
      int chosen = c.sentences().stream().map(s -> s.text()).toList().indexOf(evidence.text());
      assertTrue(chosen >= 0, evidence.toString());
      assertEquals(head.score(features.query(), c.sentenceCosines()[chosen], c.spanStates()[chosen]),
          evidence.score(), 1e-4);
    }
  }

  private static void save(ScoringMode scoring, Path dir) throws IOException {
    byte[] tokenizer;
    try (InputStream in = RerankerEvidenceHeadTest.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
      tokenizer = in.readAllBytes();
    }
    ModelConfig config = new ModelConfig("tiny-" + scoring, new BertConfig(30522, 32, 2, 2, 64, 128, 2, 1e-12f),
        scoring, Pooling.MEAN, scoring == ScoringMode.BI_ENCODER ? "query: " : "",
        scoring == ScoringMode.BI_ENCODER ? "passage: " : "", 128);
    try (RankingModel model = RankingModel.initialized(config, tokenizer, Device.cpu(), 7)) {
      model.save(dir, DType.F32, "# tiny test model\n");
    }
  }

  private static EvidenceHead randomHead(int hidden, int rank) {
    Random random = new Random(hidden * 31L + rank);
    float[][] q = new float[hidden][rank];
    float[][] s = new float[hidden][rank];
    for (int h = 0; h < hidden; h++) {
      for (int r = 0; r < rank; r++) {
        q[h][r] = (float) random.nextGaussian();
        s[h][r] = (float) random.nextGaussian();
      }
    }
    return EvidenceHead.of(q, s, new float[] {1f, 0.5f}, new float[] {0.5f, 0.5f}, new float[] {0.1f, 0.1f});
  }
}
