package io.github.r2r;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.github.r2r.model.BertConfig;
import io.github.r2r.model.BundledModel;
import io.github.r2r.model.ModelConfig;
import io.github.r2r.model.Pooling;
import io.github.r2r.model.PretrainedEncoder;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.model.io.DType;
import io.github.r2r.text.SequenceBuilder;
import io.github.r2r.text.TextTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Query feedback: the formula, its invariances, its defaults and its misuse. */
class QueryFeedbackTest {
  private static final String QUERY = "what is the capital of france";
  private static final QueryFeedback TWO = QueryFeedback.rocchio(2, 0.75f);
  private static Reranker withFeedback;
  private static Reranker without;

  @BeforeAll
  static void load() {
    withFeedback = Reranker.builder().model(PretrainedEncoder.ALL_MINILM_L6_V2).queryFeedback(TWO).build();
    without = Reranker.builder().model(PretrainedEncoder.ALL_MINILM_L6_V2).build();
  }

  @AfterAll
  static void close() {
    withFeedback.close();
    without.close();
  }

  @Test
  void scoresFollowTheRocchioFormulaOnTheModelsEmbeddings() throws IOException {
    // Independent of the scorer: embed query and documents one by one, then apply the formula.
    float[] expected;
    try (RankingModel model = RankingModel.pretrained(PretrainedEncoder.ALL_MINILM_L6_V2, Device.cpu())) {
      TextTokenizer tokenizer = model.tokenizer();
      SequenceBuilder sequences = new SequenceBuilder(tokenizer.clsId(), tokenizer.sepId(), 512);
      float[] q = embed(model, sequences, model.config().queryPrefix() + QUERY);
      List<float[]> docs = new ArrayList<>();
      for (String doc : RerankerTest.DOCS) {
        docs.add(embed(model, sequences, model.config().passagePrefix() + doc));
      }
      float[] first = new float[docs.size()];
      for (int d = 0; d < docs.size(); d++) {
        first[d] = dot(q, docs.get(d));
      }
      List<Integer> order = new ArrayList<>();
      for (int d = 0; d < docs.size(); d++) {
        order.add(d);
      }
      order.sort((a, b) -> Float.compare(first[b], first[a]));
      float[] moved = q.clone();
      for (int t = 0; t < 2; t++) {
        for (int i = 0; i < moved.length; i++) {
          moved[i] += 0.75f / 2 * docs.get(order.get(t))[i];
        }
      }
      float norm = (float) Math.sqrt(dot(moved, moved));
      expected = new float[docs.size()];
      for (int d = 0; d < docs.size(); d++) {
        expected[d] = dot(moved, docs.get(d)) / norm;
      }
    }
    Ranking ranking = withFeedback.rerank(QUERY, RerankerTest.DOCS);
    for (RankedDocument d : ranking) {
      assertEquals(expected[Integer.parseInt(d.id())], d.score(), 1e-4, d.toString());
    }
  }

  @Test
  void feedbackMovesScoresButNotForListsNoLongerThanItsTopDocuments() {
    Ranking plain = without.rerank(QUERY, RerankerTest.DOCS);
    Ranking moved = withFeedback.rerank(QUERY, RerankerTest.DOCS);
    assertTrue(
        Math.abs(doc(plain, "0").score() - doc(moved, "0").score()) > 1e-3,
        "feedback changes the scores of a six-document list");
    List<String> two = RerankerTest.DOCS.subList(0, 2);
    Ranking plainTwo = without.rerank(QUERY, two);
    Ranking movedTwo = withFeedback.rerank(QUERY, two);
    for (RankedDocument d : plainTwo) {
      assertEquals(d.score(), doc(movedTwo, d.id()).score(), 0f);
    }
  }

  @Test
  void scoresDoNotDependOnInputOrder() {
    Ranking reference = withFeedback.rerank(QUERY, RerankerTest.DOCS);
    List<Document> shuffled = new ArrayList<>();
    for (int i = 0; i < RerankerTest.DOCS.size(); i++) {
      shuffled.add(Document.of(Integer.toString(i), RerankerTest.DOCS.get(i)));
    }
    Collections.shuffle(shuffled, new Random(5));
    Ranking other = withFeedback.rerankDocuments(QUERY, shuffled);
    for (RankedDocument d : reference) {
      assertEquals(d.score(), doc(other, d.id()).score(), 1e-5);
    }
  }

  @Test
  void theBundledModelGetsItsTunedFeedbackAndANamedModelNone() {
    assertFalse(without.queryFeedback().enabled());
    try (Reranker bundled = Reranker.builder().build()) {
      assertEquals(BundledModel.QUERY_FEEDBACK, bundled.queryFeedback());
    }
    try (Reranker off = Reranker.builder().queryFeedback(QueryFeedback.none()).build()) {
      assertFalse(off.queryFeedback().enabled());
    }
  }

  @Test
  void aCrossEncoderRefusesFeedback(@TempDir Path dir) throws IOException {
    byte[] tokenizerJson;
    try (InputStream in = getClass().getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
      tokenizerJson = in.readAllBytes();
    }
    BertConfig tiny = new BertConfig(30522, 32, 2, 2, 64, 64, 2, 1e-12f);
    ModelConfig config = new ModelConfig("tiny-cross", tiny, ScoringMode.CROSS_ENCODER, Pooling.CLS, "", "", 64);
    try (RankingModel model = RankingModel.initialized(config, tokenizerJson, Device.cpu(), 7)) {
      model.save(dir, DType.F32, "tiny");
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Reranker.builder().model(dir).queryFeedback(TWO).build());
    assertEquals("query feedback needs a bi-encoder; model 'tiny-cross' is a cross-encoder", e.getMessage());
    try (Reranker ok = Reranker.builder().model(dir).build()) {
      assertFalse(ok.queryFeedback().enabled());
    }
  }

  @Test
  void settingsAreValidatedAndParsed() {
    assertEquals(TWO, QueryFeedback.parse(" 2:0.75 "));
    assertEquals(QueryFeedback.none(), QueryFeedback.parse("none"));
    assertEquals("2:0.75", TWO.toString());
    assertEquals(
        "feedback topDocuments must be at least 1, got 0",
        assertThrows(IllegalArgumentException.class, () -> QueryFeedback.rocchio(0, 1f)).getMessage());
    assertEquals(
        "feedback weight must be positive, got -1.0",
        assertThrows(IllegalArgumentException.class, () -> QueryFeedback.rocchio(2, -1f)).getMessage());
    assertEquals(
        "feedback weight must be finite and non-negative, got NaN",
        assertThrows(IllegalArgumentException.class, () -> new QueryFeedback(2, Float.NaN)).getMessage());
    assertEquals(
        "feedback 'two' is neither 'none' nor TOP:WEIGHT such as 2:0.75",
        assertThrows(IllegalArgumentException.class, () -> QueryFeedback.parse("two")).getMessage());
    assertEquals(
        "feedback '2:x' is neither 'none' nor TOP:WEIGHT such as 2:0.75",
        assertThrows(IllegalArgumentException.class, () -> QueryFeedback.parse("2:x")).getMessage());
  }

  private static RankedDocument doc(Ranking ranking, String id) {
    for (RankedDocument d : ranking) {
      if (d.id().equals(id)) {
        return d;
      }
    }
    throw new AssertionError("no document " + id + " in " + ranking);
  }

  private static float[] embed(RankingModel model, SequenceBuilder sequences, String text) {
    return model.embed(List.of(sequences.single(model.tokenizer().tokenize(text))))[0];
  }

  private static float dot(float[] a, float[] b) {
    float sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
