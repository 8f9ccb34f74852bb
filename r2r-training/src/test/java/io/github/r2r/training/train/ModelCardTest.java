package io.github.r2r.training.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelCardTest {
  @Test
  void aWeightedSumIsListedWithEveryTermAndWeight() throws IOException {
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.CROSS_ENCODER, 3);
        NDManager lossWeights = model.manager().newSubManager()) {
      String card =
          ModelCard.render(
              model,
              TinyTraining.config(3),
              Map.of(TinyTraining.SOURCE, LossSpec.parse("0.7*listnet-ranks + 0.3*ranknet-ranks", lossWeights)),
              TinyTraining.lists(4, 1),
              null,
              TrainerState.fresh());

      assertTrue(
          card.contains(
              "| synthetic | 4 | `0.7 * listnet/teacher_ranks(temperature=1.0) + 0.3 * ranknet/teacher_ranks(sigma=1.0)` |"),
          card);
    }
  }
}
