package io.github.r2r.examples;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.r2r.evidence.EvidenceFeatures;
import io.github.r2r.evidence.EvidenceHead;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.SequenceRunner;
import io.github.r2r.text.SentenceSplitter;
import io.github.r2r.training.data.ReasonToRankReader;
import io.github.r2r.training.data.TrainingQuery;
import io.github.r2r.training.train.EvidenceExample;
import io.github.r2r.training.train.EvidenceExamples;
import io.github.r2r.training.train.EvidenceHeadTrainer;
import io.github.r2r.training.train.EvidenceHeadTrainer.CandidateScorer;
import io.github.r2r.util.AtomicFiles;
import io.github.r2r.util.ProgressBar;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Trains an evidence head ({@link EvidenceHead}) on a Reason-to-Rank teacher file's {@code
 * direct_answer_sentence}s, over a ranking model's frozen encoder, and writes {@code
 * evidence.safetensors} into {@code --out} (a model directory, so that the Reranker uses it).
 *
 * <pre>
 * TrainEvidence --data ../shared/data/r2r-teacher/train-msmarco-500.jsonl --out DIR
 *     [--model bundled|NAME|MODEL_DIR] [--folds 5] [--rank 16] [--epochs 5] [--json FILE]
 * </pre>
 *
 * <p>Before training on every query it measures, by {@code --folds}-fold cross-validation over the
 * file's queries, the evidence accuracy of the zero-shot score and of the head (0 folds: skip). DL19 is
 * never used here: its teacher file is for evaluation ({@link EvaluateExplanations}).
 */
public final class TrainEvidence {
  private static final String USAGE =
      "usage: TrainEvidence --data FILE.jsonl --out DIR [--model bundled|NAME|MODEL_DIR] [--folds N]"
          + " [--rank N] [--epochs N] [--json FILE]";

  private TrainEvidence() {}

  public static void main(String[] args) throws IOException {
    CommandLine.runMain(USAGE, args, TrainEvidence::run);
  }

  /** The program on {@code args}: what {@link #main} runs, and what tests call. */
  static void run(String[] args) throws IOException {
    CommandLine cli = new CommandLine(
        args, Set.of("data", "out", "model", "folds", "rank", "epochs", "json"));
    Path data = Path.of(cli.required("data"));
    Path out = OutputDirectories.checked("out", Path.of(cli.required("out")));
    Optional<Path> jsonFile = cli.outputFile("json");
    int folds = cli.intValue("folds", 5);
    if (folds == 1 || folds < 0) {
      throw new UsageException("--folds must be 0 (no cross-validation) or at least 2, got " + folds);
    }
    EvidenceHeadTrainer.Config defaults = EvidenceHeadTrainer.Config.defaults();
    EvidenceHeadTrainer.Config config = new EvidenceHeadTrainer.Config(
        cli.intAtLeast("rank", defaults.rank(), 1), cli.intAtLeast("epochs", defaults.epochs(), 1),
        defaults.learningRate(), defaults.l2(), defaults.initScale(), defaults.seed());
    List<TrainingQuery> queries = ReasonToRankReader.builder().build().read(data).queries();
    if (folds > queries.size()) {
      // Checked again on the queries with evidence examples, which can be fewer, once features are computed.
      throw new UsageException(data + " has " + queries.size() + " queries: too few for --folds " + folds);
    }
    long start = System.nanoTime();
    JsonObject report = new JsonObject();
    try (RankingModel model = ModelOption.load(cli.optional("model").orElse("bundled"))) {
      SentenceSplitter splitter = SentenceSplitter.english();
      EvidenceFeatures features = new EvidenceFeatures(model, splitter, model.config().maxLength());
      ProgressBar progress = new ProgressBar(System.err, "evidence features", queries.size());
      EvidenceExamples.Result examples =
          EvidenceExamples.of(queries, features, splitter, SequenceRunner.inOrder(8), progress);
      progress.finish();
      System.err.println(examples.summary());
      report.addProperty("model", model.config().name());
      report.addProperty("examples", examples.examples().size());
      report.addProperty("feature_seconds", (System.nanoTime() - start) / 1e9);
      if (folds > 0) {
        report.add("cross_validation", crossValidate(examples.examples(), folds, config));
      }
      EvidenceHeadTrainer.Result result = new EvidenceHeadTrainer(config).train(examples.examples());
      result.head().save(out);
      report.addProperty("train_accuracy_zero_shot",
          EvidenceHeadTrainer.accuracy(examples.examples(), CandidateScorer.zeroShot()));
      report.addProperty("train_accuracy_head",
          EvidenceHeadTrainer.accuracy(examples.examples(), CandidateScorer.of(result.head())));
      JsonArray losses = new JsonArray();
      result.epochLosses().forEach(losses::add);
      report.add("epoch_losses", losses);
    }
    report.addProperty("seconds", (System.nanoTime() - start) / 1e9);
    String json = new GsonBuilder().setPrettyPrinting().create().toJson(report);
    System.out.println(json);
    System.out.println("evidence head written to " + out.resolve(EvidenceHead.WEIGHTS_FILE));
    if (jsonFile.isPresent()) {
      AtomicFiles.writeString(jsonFile.get(), json + "\n");
    }
  }

  /**
   * Folds by query (a query's passages stay together), assigned by a seeded shuffle; per fold the
   * head is trained on the other folds and both scores are measured on this one.
   */
  private static JsonObject crossValidate(List<EvidenceExample> examples, int folds, EvidenceHeadTrainer.Config config) {
    List<String> qids = new ArrayList<>(new LinkedHashSet<>(examples.stream().map(EvidenceExample::qid).toList()));
    if (qids.size() < folds) {
      throw new IllegalArgumentException(qids.size() + " queries are too few for " + folds + " folds");
    }
    Collections.shuffle(qids, new Random(config.seed()));
    Map<String, Integer> foldOf = new HashMap<>();
    for (int i = 0; i < qids.size(); i++) {
      foldOf.put(qids.get(i), i % folds);
    }
    double zeroShotHits = 0;
    double headHits = 0;
    JsonArray perFold = new JsonArray();
    for (int f = 0; f < folds; f++) {
      List<EvidenceExample> train = new ArrayList<>();
      List<EvidenceExample> test = new ArrayList<>();
      for (EvidenceExample e : examples) {
        (foldOf.get(e.qid()) == f ? test : train).add(e);
      }
      EvidenceHead head = new EvidenceHeadTrainer(config).train(train).head();
      double zeroShot = EvidenceHeadTrainer.accuracy(test, CandidateScorer.zeroShot());
      double trained = EvidenceHeadTrainer.accuracy(test, CandidateScorer.of(head));
      zeroShotHits += zeroShot * test.size();
      headHits += trained * test.size();
      JsonObject fold = new JsonObject();
      fold.addProperty("passages", test.size());
      fold.addProperty("zero_shot", zeroShot);
      fold.addProperty("head", trained);
      perFold.add(fold);
      System.err.printf(Locale.ROOT, "fold %d/%d: %d passages, zero-shot %.4f, head %.4f%n",
          f + 1, folds, test.size(), zeroShot, trained);
    }
    JsonObject cv = new JsonObject();
    cv.addProperty("folds", folds);
    cv.addProperty("zero_shot", zeroShotHits / examples.size());
    cv.addProperty("head", headHits / examples.size());
    cv.add("per_fold", perFold);
    return cv;
  }
}
