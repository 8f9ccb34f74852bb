package io.github.r2r.examples;

import io.github.r2r.generate.ReasonConfig;
import io.github.r2r.generate.ReasonModel;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.io.DType;
import io.github.r2r.training.data.FreeTextReasons;
import io.github.r2r.training.data.FreeTextTeacherReader;
import io.github.r2r.training.data.ReasonToRankReader;
import io.github.r2r.training.data.TrainingQuery;
import io.github.r2r.training.train.ReasonExample;
import io.github.r2r.training.train.ReasonExamples;
import io.github.r2r.training.train.ReasonTrainer;
import io.github.r2r.training.train.ReasonTrainerConfig;
import io.github.r2r.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Trains a reason decoder (pointwise and comparative reasons) on a Reason-to-Rank teacher file, over a
 * ranking model's frozen encoder, and writes {@code reasons.json} + {@code reasons.safetensors} (fp16).
 *
 * <pre>
 * TrainReasons --data ../shared/data/r2r-teacher/train-msmarco-500.jsonl --out DIR --work DIR
 *     [--config recipes/reasons.json] [--model bundled|NAME|MODEL_DIR] [--dev-queries 40]
 *     [--free-text FILE,FILE,...] [--train-on data|free-text|both] [--init REASONS_DIR]
 * </pre>
 *
 * <p>The last {@code dev-queries} queries of the file are held out for the dev loss that picks the
 * best checkpoint (0: no dev set, the last step's decoder is kept). A killed run started again with the
 * same {@code --work} resumes from its last checkpoint; one started under another config is refused
 * before {@code --work} is written. DL19 is never used here: its teacher file is for evaluation ({@link EvaluateExplanations}).
 *
 * <p>{@code --free-text} adds other teachers' reason lines ({@link FreeTextTeacherReader} files such as
 * {@code gpt35-teacher/msmarco_train_*.jsonl}) as pointwise training reasons, in the Reason-to-Rank
 * teacher's framing ({@link FreeTextReasons#asPointwiseReasons}); windows of a held-out query (same
 * query text) are left out, so the dev set stays unseen. {@code --train-on} says which reasons train
 * (default: {@code both} with {@code --free-text}, else {@code data}). With {@code free-text} they are
 * the only training reasons (the {@code --data} file then gives the dev set alone): a first stage whose
 * decoder a second run continues from with {@code --init}, which starts from that trained decoder
 * instead of the encoder's warm start (its architecture must be the one {@code --config} describes).
 */
public final class TrainReasons {
  private static final String USAGE =
      "usage: TrainReasons --data FILE.jsonl --out DIR --work DIR [--config FILE.json]"
          + " [--model bundled|NAME|MODEL_DIR] [--dev-queries N] [--free-text FILE,FILE,...]"
          + " [--train-on data|free-text|both]"
          + " [--init REASONS_DIR]";

  private TrainReasons() {}

  public static void main(String[] args) throws IOException {
    CommandLine.runMain(USAGE, args, TrainReasons::run);
  }

  /** The program on {@code args}: what {@link #main} runs, and what tests call. */
  static void run(String[] args) throws IOException {
    CommandLine cli = new CommandLine(args, Set.of("data", "out", "work", "config", "model", "dev-queries", "free-text", "train-on", "init"));
    Path data = Path.of(cli.required("data"));
    Path out = OutputDirectories.checked("out", Path.of(cli.required("out")));
    Path work = OutputDirectories.checked("work", Path.of(cli.required("work")));
    Optional<String> freeText = cli.optional("free-text");
    String trainOn = cli.choice("train-on", freeText.isPresent() ? "both" : "data", "data", "free-text", "both");
    if (!trainOn.equals("data") && freeText.isEmpty()) {
      throw new UsageException("--train-on " + trainOn + " needs --free-text FILE,...");
    }
    int devQueries = cli.intAtLeast("dev-queries", 40, 0);
    ReasonTrainerConfig config =
        cli.optional("config").isPresent()
            ? ReasonTrainerConfig.fromJson(Files.readString(Path.of(cli.optional("config").get())))
            : new ReasonTrainerConfig().validate();
    // A checkpoint in --work saved under another config is refused before anything is read or written.
    ReasonTrainer.checkResumable(work, config);
    List<TrainingQuery> queries = ReasonToRankReader.builder().build().read(data).queries();
    if (queries.size() <= devQueries) {
      throw new UsageException(
          data + " has " + queries.size() + " queries: too few to hold out --dev-queries " + devQueries);
    }
    List<TrainingQuery> devSet = queries.subList(queries.size() - devQueries, queries.size());
    List<TrainingQuery> trainQueries = new ArrayList<>();
    if (!trainOn.equals("free-text")) {
      trainQueries.addAll(queries.subList(0, queries.size() - devQueries));
    }
    if (!trainOn.equals("data")) {
      trainQueries.addAll(freeTextQueries(freeText.get(), devSet));
    }
    try (RankingModel encoder = ModelOption.load(cli.optional("model").orElse("bundled"));
        ReasonModel model = startingDecoder(encoder, config, cli.optional("init").map(Path::of))) {
      List<ReasonExample> train = ReasonExamples.of(trainQueries, model);
      List<ReasonExample> dev = ReasonExamples.of(devSet, model);
      System.err.printf("%d training reasons (%d queries), %d dev reasons (%d queries)%n",
          train.size(), trainQueries.size(), dev.size(), devSet.size());
      Files.createDirectories(work);
      AtomicFiles.writeString(work.resolve("config.json"), config.toJson());
      ReasonTrainer.Result result = new ReasonTrainer(model, config, train, dev, work).train();
      try (ReasonModel best = ReasonModel.load(encoder, result.bestDir())) {
        best.save(out, DType.F16);
      }
      if (dev.isEmpty()) {
        System.out.printf(Locale.ROOT,
            "no dev set (--dev-queries %d): the last step's decoder (step %d, %d skipped steps) kept, %.1f s;"
                + " decoder written to %s%n",
            devQueries, result.bestStep(), result.skippedSteps(), result.seconds(), out);
      } else {
        System.out.printf(Locale.ROOT,
            "best dev token NLL %.4f at step %d (%d skipped steps), %.1f s; decoder written to %s%n",
            result.bestDevLoss(), result.bestStep(), result.skippedSteps(), result.seconds(), out);
      }
    }
  }

  /** The decoder training starts from: the encoder's warm start, or a decoder trained before. */
  private static ReasonModel startingDecoder(RankingModel encoder, ReasonTrainerConfig config, Optional<Path> init)
      throws IOException {
    ReasonConfig wanted = new ReasonConfig(encoder.config().name(), config.decoderLayers, config.maxReasonTokens,
        config.maxInputTokens, "[CLS]", "[MASK]", config.copyAttention, config.rankHints);
    if (init.isEmpty()) {
      return ReasonModel.warmStarted(encoder, wanted, config.seed);
    }
    ReasonModel loaded = ReasonModel.load(encoder, init.get());
    if (!loaded.config().equals(wanted)) {
      loaded.close();
      throw new IllegalArgumentException("--init " + init.get() + " holds a decoder configured as " + loaded.config()
          + ", but the training config describes " + wanted);
    }
    return loaded;
  }

  /**
   * The windows of the free-text teacher files (comma-separated paths) with their reason lines as
   * pointwise reasons, without the windows of held-out queries.
   */
  static List<TrainingQuery> freeTextQueries(String files, List<TrainingQuery> heldOut) throws IOException {
    Set<String> heldOutTexts = new HashSet<>();
    heldOut.forEach(q -> heldOutTexts.add(q.query().strip()));
    List<TrainingQuery> out = new ArrayList<>();
    int leftOut = 0;
    for (String file : files.split(",")) {
      for (TrainingQuery window : FreeTextTeacherReader.builder().build().read(Path.of(file.strip())).queries()) {
        if (heldOutTexts.contains(window.query().strip())) {
          leftOut++;
        } else {
          out.add(FreeTextReasons.asPointwiseReasons(window));
        }
      }
    }
    System.err.printf("free-text teachers: %d windows kept, %d left out (held-out queries)%n", out.size(), leftOut);
    return out;
  }
}
