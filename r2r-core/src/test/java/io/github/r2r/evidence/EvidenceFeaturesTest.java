package io.github.r2r.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.github.r2r.model.BertConfig;
import io.github.r2r.model.ModelConfig;
import io.github.r2r.model.Pooling;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.model.SequenceRunner;
import io.github.r2r.text.InputSequence;
import io.github.r2r.text.PaddedBatch;
import io.github.r2r.text.Sentence;
import io.github.r2r.text.SentenceSplitter;
import io.github.r2r.text.SequenceBuilder;
import io.github.r2r.text.TokenizedText;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Evidence features on a tiny random bi-encoder, against the op-by-op reference encoder. */
class EvidenceFeaturesTest {
  private static final String QUERY = "when was the eiffel tower built";
  private static final String LONG_DOC =
      "The Eiffel Tower is a wrought iron lattice tower in Paris. It was built from 1887 to 1889 for the"
          + " World's Fair. Is it tall? Gustave Eiffel's company designed and built the famous tower.";
  /** Small, so that the document above spans several windows and sentences cross window borders. */
  private static final int MAX_LENGTH = 16;

  private static RankingModel model;

  @BeforeAll
  static void load() throws IOException {
    byte[] tokenizer;
    try (InputStream in = EvidenceFeaturesTest.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
      tokenizer = in.readAllBytes();
    }
    ModelConfig tiny = new ModelConfig("tiny-bi", new BertConfig(30522, 32, 2, 2, 64, 128, 2, 1e-12f),
        ScoringMode.BI_ENCODER, Pooling.MEAN, "query: ", "passage: ", 128);
    model = RankingModel.initialized(tiny, tokenizer, Device.cpu(), 5);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void spanStatesAreTheMeanReferenceStatesOfTheSentencesTokensAcrossWindows() {
    EvidenceFeatures features = new EvidenceFeatures(model, SentenceSplitter.english(), MAX_LENGTH);
    EvidenceFeatures.Candidates c =
        features.compute(QUERY, List.of(LONG_DOC), SequenceRunner.inOrder(2)).documents().get(0);
    assertEquals(
        AnswerSentences.candidates(SentenceSplitter.english().split(LONG_DOC)), c.sentences());

    TokenizedText prefix = model.tokenizer().tokenize("passage: ");
    TokenizedText doc = model.tokenizer().tokenize(LONG_DOC);
    int perWindow = MAX_LENGTH - 2 - prefix.length();
    assertTrue(doc.length() > 3 * perWindow, "the document must span several windows");
    float[][] reference = new float[doc.length()][];
    for (int first = 0; first < doc.length(); first += perWindow) {
      int last = Math.min(doc.length(), first + perWindow);
      long[] ids = new long[last - first + 2 + prefix.length()];
      ids[0] = model.tokenizer().clsId();
      for (int i = 0; i < prefix.length(); i++) {
        ids[1 + i] = prefix.id(i);
      }
      for (int t = first; t < last; t++) {
        ids[1 + prefix.length() + t - first] = doc.id(t);
      }
      ids[ids.length - 1] = model.tokenizer().sepId();
      float[][] states = referenceStates(new InputSequence(ids, new long[ids.length]));
      for (int t = first; t < last; t++) {
        reference[t] = states[1 + prefix.length() + t - first];
      }
    }
    for (int s = 0; s < c.sentences().size(); s++) {
      Sentence sentence = c.sentences().get(s);
      float[] mean = new float[32];
      int n = 0;
      for (int t = 0; t < doc.length(); t++) {
        if (doc.start(t) >= 0 && doc.start(t) < sentence.end() && doc.end(t) > sentence.start()) {
          for (int k = 0; k < mean.length; k++) {
            mean[k] += reference[t][k];
          }
          n++;
        }
      }
      assertTrue(n > 0);
      for (int k = 0; k < mean.length; k++) {
        assertEquals(mean[k] / n, c.spanStates()[s][k], 1e-4, "sentence " + s + " dimension " + k);
      }
    }
  }

  @Test
  void sentenceCosinesAreTheQueryAgainstEachSentenceEncodedAlone() {
    EvidenceFeatures.ForQuery computed = new EvidenceFeatures(model, SentenceSplitter.english(), 128)
        .compute(QUERY, List.of(LONG_DOC, "Tokyo is large. It has many people living in it today."),
            SequenceRunner.inOrder(3));
    SequenceBuilder sequences = new SequenceBuilder(model.tokenizer().clsId(), model.tokenizer().sepId(), 128);
    float[] query = model.embed(List.of(sequences.single(model.tokenizer().tokenize("query: " + QUERY))))[0];
    assertEquals(2, computed.documents().size());
    for (EvidenceFeatures.Candidates c : computed.documents()) {
      for (int s = 0; s < c.sentences().size(); s++) {
        float[] sentence = model.embed(
            List.of(sequences.single(model.tokenizer().tokenize("passage: " + c.sentences().get(s).text()))))[0];
        float dot = 0;
        for (int k = 0; k < query.length; k++) {
          dot += query[k] * sentence[k];
          assertEquals(query[k], computed.query()[k], 1e-6);
        }
        assertEquals(dot, c.sentenceCosines()[s], 1e-5);
      }
    }
  }

  @Test
  void badInputIsNamed() {
    EvidenceFeatures features = new EvidenceFeatures(model, SentenceSplitter.english(), 128);
    assertEquals("query is null or blank", assertThrows(IllegalArgumentException.class,
        () -> features.compute(" ", List.of("a"), SequenceRunner.inOrder(1))).getMessage());
    assertEquals("document 1 has no text", assertThrows(IllegalArgumentException.class,
        () -> features.compute("q", List.of("a", " "), SequenceRunner.inOrder(1))).getMessage());
    assertEquals("maxLength must be at least 8 tokens, got 4", assertThrows(IllegalArgumentException.class,
        () -> new EvidenceFeatures(model, SentenceSplitter.english(), 4)).getMessage());
  }

  private static float[][] referenceStates(InputSequence sequence) {
    try (NDManager scope = model.manager().newSubManager()) {
      NDArray hidden = model.hiddenStates(
          new ParameterStore(scope, false), new PaddedBatch(List.of(sequence)).toNDList(scope), false);
      float[] flat = hidden.toFloatArray();
      List<float[]> rows = new ArrayList<>();
      for (int t = 0; t < sequence.length(); t++) {
        float[] row = new float[32];
        System.arraycopy(flat, t * 32, row, 0, 32);
        rows.add(row);
      }
      return rows.toArray(new float[0][]);
    }
  }
}
