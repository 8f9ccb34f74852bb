package io.github.r2r.examples;

import io.github.r2r.generate.ReasonConfig;
import io.github.r2r.generate.ReasonModel;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.io.DType;
import io.github.r2r.training.data.ReasonToRankReader;
import io.github.r2r.training.data.TrainingQuery;
import io.github.r2r.training.train.ReasonExample;
import io.github.r2r.training.train.ReasonExamples;
import io.github.r2r.training.train.ReasonTrainer;
import io.github.r2r.training.train.ReasonTrainerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Trains a reason decoder (pointwise and comparative reasons) on a Reason-to-Rank teacher file, over a
 * ranking model's frozen encoder, and writes {@code reasons.json} + {@code reasons.safetensors} (fp16).
 *
 * <pre>
 * TrainReasons --data ../shared/data/r2r-teacher/train-msmarco-500.jsonl --out DIR --work DIR
 *     [--config recipes/reasons.json] [--model bundled|NAME|MODEL_DIR] [--dev-queries 40]
 * </pre>
 *
 * <p>The last {@code dev-queries} queries of the file are held out for the dev loss that picks the
 * best checkpoint. A killed run started again with the same {@code --work} resumes from its last
 * checkpoint. DL19 is never used here: its teacher file is for evaluation ({@link EvaluateExplanations}).
 */
public final class TrainReasons {
  private static final String USAGE =
      "usage: TrainReasons --data FILE.jsonl --out DIR --work DIR [--config FILE.json]"
          + " [--model bundled|NAME|MODEL_DIR] [--dev-queries N]";

  private TrainReasons() {}

  public static void main(String[] args) throws IOException {
    CommandLine cli = new CommandLine(args, Set.of("data", "out", "work", "config", "model", "dev-queries"), USAGE);
    Path data = Path.of(cli.required("data"));
    Path out = Path.of(cli.required("out"));
    Path work = Path.of(cli.required("work"));
    ReasonTrainerConfig config =
        cli.optional("config").isPresent()
            ? ReasonTrainerConfig.fromJson(Files.readString(Path.of(cli.optional("config").get())))
            : new ReasonTrainerConfig().validate();
    int devQueries = cli.intValue("dev-queries", 40);
    List<TrainingQuery> queries = ReasonToRankReader.builder().build().read(data).queries();
    if (queries.size() <= devQueries) {
      throw new IllegalArgumentException(
          data + " has " + queries.size() + " queries: too few to hold out --dev-queries " + devQueries);
    }
    List<TrainingQuery> trainQueries = queries.subList(0, queries.size() - devQueries);
    List<TrainingQuery> devSet = queries.subList(queries.size() - devQueries, queries.size());
    try (RankingModel encoder = ModelOption.load(cli.optional("model").orElse("bundled"));
        ReasonModel model =
            ReasonModel.warmStarted(
                encoder,
                new ReasonConfig(encoder.config().name(), config.decoderLayers, config.maxReasonTokens,
                    config.maxInputTokens, "[CLS]", "[MASK]", config.copyAttention, config.rankHints),
                config.seed)) {
      List<ReasonExample> train = ReasonExamples.of(trainQueries, model);
      List<ReasonExample> dev = ReasonExamples.of(devSet, model);
      System.err.printf("%d training reasons (%d queries), %d dev reasons (%d queries)%n",
          train.size(), trainQueries.size(), dev.size(), devSet.size());
      Files.createDirectories(work);
      Files.writeString(work.resolve("config.json"), config.toJson());
      ReasonTrainer.Result result = new ReasonTrainer(model, config, train, dev, work).train();
      try (ReasonModel best = ReasonModel.load(encoder, result.bestDir())) {
        best.save(out, DType.F16);
      }
      System.out.printf(
          "best dev token NLL %.4f at step %d (%d skipped steps), %.1f s; decoder written to %s%n",
          result.bestDevLoss(), result.bestStep(), result.skippedSteps(), result.seconds(), out);
    }
  }
}
