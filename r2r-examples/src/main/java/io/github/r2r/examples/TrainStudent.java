package io.github.r2r.examples;

import ai.djl.Device;
import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.r2r.eval.BenchmarkQuery;
import io.github.r2r.eval.Qrels;
import io.github.r2r.eval.SharedData;
import io.github.r2r.eval.TrecBenchmark;
import io.github.r2r.eval.TrecRun;
import io.github.r2r.model.ModelConfig;
import io.github.r2r.model.PretrainedEncoder;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.model.io.DType;
import io.github.r2r.training.data.FreeTextTeacherReader;
import io.github.r2r.training.data.ReadResult;
import io.github.r2r.training.data.ReasonToRankReader;
import io.github.r2r.training.data.TrainingQuery;
import io.github.r2r.training.data.TrecTrainingReader;
import io.github.r2r.evidence.EvidenceHead;
import io.github.r2r.generate.ReasonModel;
import io.github.r2r.training.train.AuxiliaryTask;
import io.github.r2r.training.train.DevSet;
import io.github.r2r.training.train.EvidenceExamples;
import io.github.r2r.training.train.EvidenceTask;
import io.github.r2r.training.train.ReasonExample;
import io.github.r2r.training.train.ReasonExamples;
import io.github.r2r.training.train.ReasonTask;
import io.github.r2r.training.train.TaskWeight;
import io.github.r2r.training.train.DistillationTrainer;
import io.github.r2r.training.train.LossSpec;
import io.github.r2r.training.train.TrainerConfig;
import io.github.r2r.training.train.TrainingList;
import io.github.r2r.training.train.TrainingLists;
import io.github.r2r.training.train.TrainingResult;
import ai.djl.ndarray.NDManager;
import io.github.r2r.training.train.loss.RankingLoss;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reproduces a student from a recipe file: reads the training sources from the shared data, holds out
 * dev queries, distils into the initial encoder and writes the model directory.
 *
 * <pre>TrainStudent --recipe r2r-examples/recipes/student.json --out runs/student [--data ../shared/data]</pre>
 *
 * Killed runs resume from {@code OUT/work/checkpoint} when started again with the same arguments.
 */
public final class TrainStudent {
  private static final String USAGE = "usage: TrainStudent --recipe FILE --out DIR [--data SHARED_DATA_DIR] [--steps N]";

  /** The recipe file's shape. */
  static final class Recipe {
    String name = "r2r-student";
    String init = "e5-small-v2";
    String scoring = "BI_ENCODER";
    /** DL21 queries (the last ones by qid) held out as the dev set; never trained on. */
    int devQueries = 10;
    List<Source> sources = new ArrayList<>();
    /** Auxiliary tasks trained with the ranking loss (multi-task training); none by default. */
    List<Task> tasks = new ArrayList<>();
    /**
     * α of the WiSE-FT interpolation of the best checkpoint with the {@code init} weights
     * ({@link io.github.r2r.training.train.WeightInterpolation}): the model written is
     * {@code (1 − α)·init + α·best}. 1 (the default) writes the best checkpoint as it is.
     */
    double interpolateWithInit = 1.0;
    /** Parsed separately by {@link TrainerConfig#fromJson}, which rejects unknown keys. */
    transient TrainerConfig trainer = new TrainerConfig();
  }

  static final class Source {
    String name;
    /**
     * {@code trec} (graded qrels), {@code r2r} (Reason-to-Rank JSONL), {@code free-text} (GPT-3.5/4)
     * or {@code teacher-run} (a teacher's scores over a benchmark's candidates, given as a TREC run).
     */
    String kind;
    /** For {@code teacher-run}: the TREC run file of teacher scores (relative to the working directory). */
    String run;
    List<String> paths = new ArrayList<>();
    String loss;
    boolean judgedOutsideCandidates = true;
    int listSize = 16;
    int listsPerQuery = 10;
    /** Keep at most this many lists (a seeded random subset), to balance sources; 0 = all. */
    int maxLists = 0;
  }

  /**
   * An auxiliary task of the recipe: {@code reasons} (teacher-forced reasons, decoder started from
   * the one shipped for {@code init}) or {@code evidence} (the evidence head's loss, head started
   * from the one shipped for {@code init}), both on Reason-to-Rank JSONL files.
   */
  static final class Task {
    String task;
    List<String> paths = new ArrayList<>();
    /** The fixed weight, or the starting weight when {@code learnable}. */
    float weight = 0.1f;
    boolean learnable;
    int batchSize = 4;
    /** Reasons only. */
    float labelSmoothing = 0.1f;
    /** Use at most this many queries of the files (the first ones); 0 = all. */
    int maxQueries;
    /** The task's own parameters train at the run's learning rate times this. */
    float learningRateScale = 1f;
  }

  private TrainStudent() {}

  public static void main(String[] args) throws IOException {
    CommandLine.runMain(USAGE, args, TrainStudent::run);
  }

  /** The program on {@code args}: what {@link #main} runs, and what tests call. */
  static void run(String[] args) throws IOException {
    CommandLine cli = new CommandLine(args, Set.of("recipe", "out", "data", "steps"));
    Recipe recipe = readRecipe(Path.of(cli.required("recipe")));
    if (cli.optional("steps").isPresent()) {
      recipe.trainer.steps = cli.intValue("steps", recipe.trainer.steps);
    }
    Path data =
        cli.optional("data").map(Path::of).or(SharedData::locate)
            .orElseThrow(() -> new UsageException("shared data not found: pass --data DIR"));
    Path out = Path.of(cli.required("out"));
    Files.createDirectories(out);
    Files.writeString(out.resolve("recipe.json"), Files.readString(Path.of(cli.required("recipe"))), StandardCharsets.UTF_8);
    Files.writeString(out.resolve("trainer-config.json"), recipe.trainer.toJson(), StandardCharsets.UTF_8);

    PretrainedEncoder init = ModelOption.pretrainedByName(recipe.init);
    if (init == null) {
      throw new UsageException("recipe init '" + recipe.init + "' is not a pretrained encoder name");
    }
    ScoringMode scoring = ScoringMode.valueOf(recipe.scoring);
    ModelConfig config = init.config().withScoring(scoring).withName(recipe.name);

    TrecBenchmark dl21 = TrecBenchmark.load(data.resolve("trec-dl21-passage"));
    List<String> qids = dl21.queries().stream().map(BenchmarkQuery::qid).sorted(Comparator.naturalOrder()).toList();
    Set<String> devQids = Set.copyOf(qids.subList(qids.size() - recipe.devQueries, qids.size()));
    List<BenchmarkQuery> devQueries = dl21.queries().stream().filter(q -> devQids.contains(q.qid())).toList();
    Qrels qrels = dl21.qrels().orElseThrow();
    DevSet dev = devQueries.isEmpty() ? null : new DevSet("dl21-heldout", devQueries, qrels);

    long start = System.nanoTime();
    try (RankingModel model = RankingModel.pretrained(init, config, Device.cpu());
        NDManager lossWeights = model.manager().newSubManager()) {
      List<TrainingList> lists = new ArrayList<>();
      Map<String, RankingLoss> losses = new LinkedHashMap<>();
      for (Source source : recipe.sources) {
        List<TrainingList> fromSource = load(source, data, devQids, recipe.trainer.seed);
        if (source.maxLists > 0 && fromSource.size() > source.maxLists) {
          List<TrainingList> shuffled = new ArrayList<>(fromSource);
          java.util.Collections.shuffle(shuffled, new java.util.Random(recipe.trainer.seed));
          fromSource = shuffled.subList(0, source.maxLists);
        }
        System.err.printf(Locale.ROOT, "source %-8s %6d lists  loss %s%n", source.name, fromSource.size(), source.loss);
        lists.addAll(fromSource);
        losses.put(source.name, LossSpec.parse(source.loss, lossWeights));
      }
      List<AuxiliaryTask> tasks = new ArrayList<>();
      List<AutoCloseable> toClose = new ArrayList<>();
      for (Task task : recipe.tasks) {
        tasks.add(auxiliaryTask(task, recipe, model, data, lossWeights, toClose));
      }
      DistillationTrainer trainer =
          new DistillationTrainer(model, recipe.trainer, losses, lists, dev, out.resolve("work"), tasks);
      if (dev != null) {
        System.err.printf(Locale.ROOT, "dev nDCG@10 before training: %.4f%n", trainer.evaluate(dev));
      }
      TrainingResult result = trainer.train();
      double hours = (System.nanoTime() - start) / 3.6e12;
      System.out.printf(Locale.ROOT, "best dev nDCG@10 %.4f at step %d; %d steps skipped; %.2f h%n",
          result.bestDevNdcg10(), result.bestStep(), result.skippedSteps(), hours);
      try (RankingModel best = RankingModel.load(result.modelDir(), Device.cpu())) {
        String card = Files.readString(result.modelDir().resolve(RankingModel.CARD_FILE))
            + String.format(Locale.ROOT, "- training wall time (this process): %.2f h%n- recipe: `%s`%n",
                hours, cli.required("recipe"));
        if (recipe.interpolateWithInit < 1) {
          // The best checkpoint as trained stays next to the interpolated model, for comparison.
          best.save(out.resolve("model-tuned"), DType.F16, card);
          try (RankingModel initial = RankingModel.pretrained(init, config, Device.cpu())) {
            InterpolateWeights.write(initial, best, recipe.interpolateWithInit, out.resolve("model"),
                card + InterpolateWeights.cardLine(recipe.interpolateWithInit, recipe.init));
          }
        } else {
          best.save(out.resolve("model"), DType.F16, card);
        }
      }
      // What the auxiliary tasks trained (reasons, evidence head) goes with the model.
      for (String file : List.of(ReasonModel.CONFIG_FILE, ReasonModel.WEIGHTS_FILE, EvidenceHead.WEIGHTS_FILE)) {
        if (Files.isRegularFile(result.modelDir().resolve(file))) {
          Files.copy(result.modelDir().resolve(file), out.resolve("model").resolve(file),
              java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
      for (AutoCloseable c : toClose) {
        try {
          c.close();
        } catch (Exception e) {
          throw new IOException(e);
        }
      }
      System.out.println("model written to " + out.resolve("model"));
    }
  }

  private static AuxiliaryTask auxiliaryTask(
      Task task, Recipe recipe, RankingModel model, Path data, NDManager weights, List<AutoCloseable> toClose)
      throws IOException {
    List<Path> files = new ArrayList<>();
    for (String p : task.paths) {
      files.add(data.resolve(p));
    }
    List<TrainingQuery> queries = ReasonToRankReader.builder().build().readAll(files).queries();
    if (task.maxQueries > 0 && queries.size() > task.maxQueries) {
      queries = queries.subList(0, task.maxQueries);
    }
    TaskWeight weight = task.learnable ? TaskWeight.learnable(task.weight, weights) : TaskWeight.fixed(task.weight);
    switch (String.valueOf(task.task)) {
      case "reasons": {
        ReasonModel reasons = ReasonModel.shipped(recipe.init, model).orElseThrow(() ->
            new IllegalArgumentException("no reason decoder is shipped for '" + recipe.init + "' to start from"));
        toClose.add(reasons);
        List<ReasonExample> examples = ReasonExamples.of(queries, reasons);
        System.err.printf(Locale.ROOT, "task reasons   %6d reasons   weight %s%n", examples.size(), weight);
        return new ReasonTask(reasons, examples, task.batchSize, task.labelSmoothing, recipe.trainer.seed, weight,
            task.learningRateScale);
      }
      case "evidence": {
        EvidenceHead start = EvidenceHead.bundled(recipe.init).orElseThrow(() ->
            new IllegalArgumentException("no evidence head is shipped for '" + recipe.init + "' to start from"));
        EvidenceTask evidence = new EvidenceTask(model, EvidenceExamples.targets(queries).targets(), start,
            recipe.trainer.maxLength, task.batchSize, recipe.trainer.seed, weight, task.learningRateScale);
        System.err.printf(Locale.ROOT, "task evidence  %6d passages  weight %s (%d without a matching sentence)%n",
            evidence.examples(), weight, evidence.skipped());
        return evidence;
      }
      default:
        throw new IllegalArgumentException("unknown task '" + task.task + "' (reasons, evidence)");
    }
  }

  static Recipe readRecipe(Path file) throws IOException {
    try {
      JsonObject json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
      JsonElement trainer = json.remove("trainer");
      Recipe recipe = new Gson().fromJson(json, Recipe.class);
      if (recipe == null || recipe.sources.isEmpty()) {
        throw new IllegalArgumentException(file + ": recipe has no sources");
      }
      if (trainer != null) {
        recipe.trainer = TrainerConfig.fromJson(trainer.toString());
      }
      if (!(recipe.interpolateWithInit >= 0 && recipe.interpolateWithInit <= 1)) {
        throw new IllegalArgumentException(
            file + ": interpolateWithInit must lie in [0, 1], got " + recipe.interpolateWithInit);
      }
      return recipe;
    } catch (JsonParseException | IllegalStateException e) {
      throw new IllegalArgumentException(file + ": recipe does not parse: " + e.getMessage(), e);
    }
  }

  private static List<TrainingList> load(Source source, Path data, Set<String> devQids, long seed) throws IOException {
    List<Path> files = new ArrayList<>();
    for (String p : source.paths) {
      files.add(data.resolve(p));
    }
    switch (source.kind) {
      case "trec": {
        List<TrainingQuery> queries = new ArrayList<>();
        for (Path dir : files) {
          ReadResult read = TrecTrainingReader.builder()
              .includeJudgedOutsideCandidates(source.judgedOutsideCandidates).build().read(dir);
          queries.addAll(read.queries());
        }
        List<TrainingQuery> trainQueries =
            queries.stream().filter(q -> !devQids.contains(q.qid())).collect(Collectors.toList());
        return TrainingLists.sampleGraded(source.name, trainQueries, source.listSize, source.listsPerQuery, seed);
      }
      case "r2r": {
        ReadResult read = ReasonToRankReader.builder().build().readAll(files);
        report(source, read);
        return TrainingLists.fromTeacherOrder(source.name, read.queries());
      }
      case "free-text": {
        ReadResult read = FreeTextTeacherReader.builder().build().readAll(files);
        report(source, read);
        return TrainingLists.fromTeacherOrder(source.name, read.queries());
      }
      case "teacher-run": {
        if (source.run == null) {
          throw new IllegalArgumentException("source " + source.name + " of kind teacher-run has no 'run' file");
        }
        TrecRun run = TrecRun.read(Path.of(source.run));
        Map<String, String> queries = new LinkedHashMap<>();
        Map<String, Map<String, String>> texts = new LinkedHashMap<>();
        for (Path dir : files) {
          for (BenchmarkQuery q : TrecBenchmark.load(dir).queries()) {
            if (devQids.contains(q.qid())) {
              continue;
            }
            queries.put(q.qid(), q.query());
            Map<String, String> byId = texts.computeIfAbsent(q.qid(), k -> new LinkedHashMap<>());
            q.candidates().forEach(c -> byId.put(c.docid(), c.text()));
          }
        }
        Map<String, Map<String, Double>> scores = new LinkedHashMap<>();
        for (String qid : run.queryIds()) {
          Map<String, Double> byId = scores.computeIfAbsent(qid, k -> new LinkedHashMap<>());
          run.ranking(qid).forEach(d -> byId.put(d.docid(), d.score()));
        }
        return TrainingLists.sampleTeacherScores(
            source.name, queries, texts, scores, source.listSize, source.listsPerQuery, seed);
      }
      default:
        throw new IllegalArgumentException("source " + source.name + " has unknown kind '" + source.kind + "'");
    }
  }

  private static void report(Source source, ReadResult read) {
    if (!read.report().issues().isEmpty()) {
      System.err.println("source " + source.name + ": " + read.report().summary());
    }
  }
}
