package io.github.r2r.examples;

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
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime on a model that is not a pretrained encoder (a stand-in for a distilled student: seeded
 * random weights under another name) must compute what our naive path computes, which only holds if
 * every weight of the pretrained graph was replaced.
 */
class OnnxRuntimeContestantTest {
  private static final String QUERY = "what is the capital of france";
  private static final List<String> DOCUMENTS =
      List.of("Paris is the capital of France.", "Dogs bark.", "The Eiffel Tower stands in Paris, France.");

  private static byte[] tokenizer() throws Exception {
    try (InputStream in =
        OnnxRuntimeContestantTest.class.getResourceAsStream(PretrainedEncoder.E5_SMALL_V2.tokenizerResource())) {
      return in.readAllBytes();
    }
  }

  private static void assertSameScores(ModelConfig config) throws Exception {
    try (RankingModel model = RankingModel.initialized(config, tokenizer(), Device.cpu(), 11);
        Contestant ort = new OnnxRuntimeContestant("onnxruntime", model, 2, 1, 1, false);
        Contestant ortWorkers = new OnnxRuntimeContestant("onnxruntime-workers", model, 2, 1, 3, false);
        Contestant naive = new NaiveContestant(model, 2, 1);
        Contestant naiveWorkers = new NaiveContestant(model, 2, 3)) {
      float[] expected = naive.score(QUERY, DOCUMENTS);
      float[] actual = ort.score(QUERY, DOCUMENTS);
      // Batches side by side change nothing but the schedule.
      float[] actualWithWorkers = ortWorkers.score(QUERY, DOCUMENTS);
      float[] naiveWithWorkers = naiveWorkers.score(QUERY, DOCUMENTS);
      for (int d = 0; d < DOCUMENTS.size(); d++) {
        assertEquals(expected[d], actual[d], 1e-4, "document " + d);
        assertEquals(actual[d], actualWithWorkers[d], 0f, "document " + d + ", ONNX Runtime with workers");
        assertEquals(expected[d], naiveWithWorkers[d], 0f, "document " + d + ", naive with workers");
      }
    }
  }

  @Test
  void crossEncoderStudentWeightsReplaceThePretrainedOnes() throws Exception {
    assertSameScores(
        PretrainedEncoder.E5_SMALL_V2.config().withScoring(ScoringMode.CROSS_ENCODER).withName("student"));
  }

  @Test
  void biEncoderStudentWeightsReplaceThePretrainedOnes() throws Exception {
    assertSameScores(PretrainedEncoder.E5_SMALL_V2.config().withName("student"));
  }

  @Test
  void anArchitectureWithoutAPretrainedGraphIsRejected() throws Exception {
    ModelConfig threeLayers =
        new ModelConfig(
            "tiny", BertConfig.miniLm(3), ScoringMode.BI_ENCODER, Pooling.MEAN, "", "", 512);
    try (RankingModel model = RankingModel.initialized(threeLayers, tokenizer(), Device.cpu(), 3)) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class, () -> new OnnxRuntimeContestant("ort", model, 2, 1, 1, false));
      assertTrue(e.getMessage().startsWith("no ONNX graph for model 'tiny'"), e.getMessage());
    }
  }
}
