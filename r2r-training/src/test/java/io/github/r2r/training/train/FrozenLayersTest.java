package io.github.r2r.training.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.model.io.Tensor;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrozenLayersTest {
  @Test
  void frozenNamesAreEmbeddingsAndLowLayersOnly() {
    assertTrue(DistillationTrainer.isFrozen("embeddings.word_embeddings.weight", 1));
    assertTrue(DistillationTrainer.isFrozen("encoder.layer.0.output.dense.bias", 1));
    assertFalse(DistillationTrainer.isFrozen("encoder.layer.1.output.dense.bias", 1));
    assertFalse(DistillationTrainer.isFrozen("encoder.layer.10.output.dense.bias", 2));
    assertFalse(DistillationTrainer.isFrozen("embeddings.word_embeddings.weight", 0));
    assertFalse(DistillationTrainer.isFrozen("dense.weight", 2)); // the cross-encoder pooler
  }

  @Test
  void frozenParametersDoNotChangeWhileTheOthersTrain(@TempDir Path work) throws Exception {
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.CROSS_ENCODER, 5)) {
      Map<String, Tensor> before = model.exportWeights();
      TrainerConfig config = TinyTraining.config(5);
      config.frozenLayers = 1;
      new DistillationTrainer(model, config, TinyTraining.listNetOnRanks(), TinyTraining.lists(8, 3), null, work)
          .train();
      Map<String, Tensor> after = model.exportWeights();
      assertArrayEquals(
          before.get("bert.embeddings.word_embeddings.weight").toFloatArray(),
          after.get("bert.embeddings.word_embeddings.weight").toFloatArray());
      assertArrayEquals(
          before.get("bert.encoder.layer.0.attention.self.query.weight").toFloatArray(),
          after.get("bert.encoder.layer.0.attention.self.query.weight").toFloatArray());
      assertFalse(
          java.util.Arrays.equals(
              before.get("bert.encoder.layer.1.attention.self.query.weight").toFloatArray(),
              after.get("bert.encoder.layer.1.attention.self.query.weight").toFloatArray()),
          "layer 1 must train");
      assertFalse(
          java.util.Arrays.equals(
              before.get("classifier.weight").toFloatArray(), after.get("classifier.weight").toFloatArray()),
          "the head must train");
    }
  }
}
