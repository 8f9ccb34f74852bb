package io.github.r2r.training.train;

import io.github.r2r.model.ModelConfig;
import io.github.r2r.model.RankingModel;
import io.github.r2r.training.train.loss.RankingLoss;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The model card ({@code README.md}) written next to every trained model: how it was made. */
final class ModelCard {
  private ModelCard() {}

  static String render(
      RankingModel model,
      TrainerConfig config,
      Map<String, RankingLoss> losses,
      List<TrainingList> train,
      DevSet dev,
      TrainerState state) {
    ModelConfig mc = model.config();
    Map<String, Integer> listsBySource = TrainingLists.countBySource(train);
    StringBuilder out = new StringBuilder();
    out.append("# ").append(mc.name()).append("\n\n");
    out.append("A ranking model trained with r2r's `DistillationTrainer`.\n\n");
    out.append("## Model\n\n");
    out.append(String.format(Locale.ROOT, "- scoring: %s, pooling: %s%n", mc.scoring(), mc.pooling()));
    out.append(String.format(Locale.ROOT, "- encoder: %d layers, hidden %d, %d heads%n",
        mc.encoder().numHiddenLayers(), mc.encoder().hiddenSize(), mc.encoder().numAttentionHeads()));
    out.append(String.format(Locale.ROOT, "- prefixes: query `%s`, passage `%s`%n%n", mc.queryPrefix(), mc.passagePrefix()));
    out.append("## Training data and losses\n\n");
    out.append("| source | lists | loss |\n|---|---|---|\n");
    for (Map.Entry<String, Integer> e : listsBySource.entrySet()) {
      // The description, not the name: a weighted sum's name says nothing of its terms and weights.
      out.append(String.format(Locale.ROOT, "| %s | %d | `%s` |%n", e.getKey(), e.getValue(), losses.get(e.getKey())));
    }
    out.append('\n');
    // What a computeLoss override added: the table above shows only the configured losses.
    out.append(state.extraLossTerms().toMarkdown(state.step()));
    out.append("## Trainer configuration\n\n```json\n").append(config.toJson()).append("\n```\n\n");
    out.append("## Result\n\n");
    out.append(String.format(Locale.ROOT, "- steps completed: %d (skipped for non-finite loss: %d)%n", state.step(), state.skippedSteps()));
    if (dev != null && Double.isFinite(state.bestScore())) {
      out.append(String.format(Locale.ROOT, "- best dev nDCG@10 on %s (%d queries): %.4f at step %d%n",
          dev.name(), dev.queries().size(), state.bestScore(), state.bestStep()));
    }
    return out.toString();
  }
}
