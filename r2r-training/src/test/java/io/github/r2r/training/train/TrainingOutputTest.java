package io.github.r2r.training.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonObject;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run leaves in its work directory: a loadable best model with a model card, and the log.
 */
class TrainingOutputTest {
  @TempDir Path workDir;

  @Test
  void withADevSetTheBestDirHoldsTheModelOfTheBestDevScoreAndACardThatSaysSo() throws IOException {
    TrainerConfig config = TinyTraining.config(6);
    config.evalEvery = 2;
    DevSet dev = TinyTraining.devSet(4, 2);
    TrainingResult result;
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.CROSS_ENCODER, 3)) {
      result =
          new DistillationTrainer(
                  model,
                  config,
                  TinyTraining.listNetOnRanks(),
                  TinyTraining.lists(8, 1),
                  dev,
                  workDir)
              .train();
    }

    List<JsonObject> devEvents =
        TinyTraining.log(workDir).stream()
            .filter(j -> j.has("event") && j.get("event").getAsString().equals("dev"))
            .toList();
    assertEquals(List.of(2, 4, 6), devEvents.stream().map(j -> j.get("step").getAsInt()).toList());
    JsonObject best = devEvents.get(0);
    for (JsonObject event : devEvents) {
      if (event.get("ndcg@10").getAsDouble() > best.get("ndcg@10").getAsDouble()) {
        best = event;
      }
    }
    assertEquals(best.get("ndcg@10").getAsDouble(), result.bestDevNdcg10(), 1e-12);
    assertEquals(best.get("step").getAsInt(), result.bestStep());
    assertEquals(workDir.resolve("best"), result.modelDir());

    try (RankingModel loaded = RankingModel.load(result.modelDir(), Device.cpu())) {
      assertEquals(TinyTraining.tinyConfig(ScoringMode.CROSS_ENCODER), loaded.config());
      DistillationTrainer evaluator =
          new DistillationTrainer(
              loaded,
              TinyTraining.config(1),
              TinyTraining.listNetOnRanks(),
              TinyTraining.lists(2, 1),
              null,
              workDir.resolve("unused"));
      assertEquals(
          result.bestDevNdcg10(),
          evaluator.evaluate(dev),
          1e-6,
          "the saved weights are those that scored best");
    }
    String card = Files.readString(result.modelDir().resolve(RankingModel.CARD_FILE));
    assertTrue(
        card.contains("```json\n" + config.toJson() + "\n```"),
        "the card holds the trainer config:\n" + card);
    assertTrue(card.contains("| synthetic | 8 | `listnet/teacher_ranks(temperature=1.0)` |"), card);
    String metric =
        String.format(
            Locale.ROOT,
            "best dev nDCG@10 on tiny-dev (4 queries): %.4f at step %d",
            result.bestDevNdcg10(),
            result.bestStep());
    assertTrue(card.contains(metric), "the card states the dev metric '" + metric + "':\n" + card);
  }

  @Test
  void withoutADevSetTheBestDirHoldsTheFinalWeights() throws IOException {
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, 3)) {
      TrainingResult result =
          new DistillationTrainer(
                  model,
                  TinyTraining.config(3),
                  TinyTraining.listNetOnRanks(),
                  TinyTraining.lists(8, 1),
                  null,
                  workDir)
              .train();

      assertTrue(Double.isNaN(result.bestDevNdcg10()), "no dev score without a dev set: " + result);
      assertEquals(3, result.bestStep(), "the output is the final model");
      try (RankingModel loaded = RankingModel.load(result.modelDir(), Device.cpu())) {
        TinyTraining.assertSameWeights(model.exportWeights(), loaded.exportWeights(), 0f);
      }
      String card = Files.readString(result.modelDir().resolve(RankingModel.CARD_FILE));
      assertTrue(card.contains("- steps completed: 3 (skipped for non-finite loss: 0)"), card);
      assertFalse(card.contains("best dev"), card);
    }
  }
}
