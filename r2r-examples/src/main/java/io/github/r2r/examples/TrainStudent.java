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
import java.nio.file.Files;
import java.nio.file.Path;
import io.github.r2r.util.AtomicFiles;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reproduces a student from a recipe file: reads the training sources from the shared data, holds out
 * dev queries, distils into the initial encoder and writes the model directory.
 *
 * <pre>TrainStudent --recipe r2r-examples/recipes/student.json --out runs/student [--data ../shared/data]</pre>
 *
 * Killed runs resume from {@code OUT/work/checkpoint} when started again with the same arguments; one
 * started under another trainer config or recipe is refused, as is a wrong recipe, before {@code OUT}
 * is written.
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
    Path recipeFile = Path.of(cli.required("recipe"));
    Path out = OutputDirectories.checked("out", Path.of(cli.required("out")));
    OptionalInt steps =
        cli.optional("steps").isPresent() ? OptionalInt.of(cli.intAtLeast("steps", 1, 1)) : OptionalInt.empty();
    Path data =
        cli.optional("data").map(Path::of).or(SharedData::locate)
            .orElseThrow(() -> new UsageException("shared data not found: pass --data DIR"));
    // Everything is checked before OUT is written: a refused run leaves OUT as it was (or absent).
    String recipeText = Files.readString(recipeFile);
    Recipe recipe = parseRecipe(recipeFile, recipeText);
    steps.ifPresent(n -> recipe.trainer.steps = n);
    PretrainedEncoder init = ModelOption.pretrainedByName(recipe.init);
    ScoringMode scoring = ScoringMode.valueOf(recipe.scoring);
    ModelConfig config = init.config().withScoring(scoring).withName(recipe.name);
    checkLosses(recipeFile, recipe);
    // OUT's checkpoint is resumed only under the same trainer config and recipe.
    DistillationTrainer.checkResumable(out.resolve("work"), recipe.trainer);
    checkSameRecipe(recipeFile, recipe, out);

    Path dl21Dir = data.resolve("trec-dl21-passage");
    TrecBenchmark dl21 = TrecBenchmark.load(dl21Dir);
    List<String> qids = dl21.queries().stream().map(BenchmarkQuery::qid).sorted(Comparator.naturalOrder()).toList();
    if (recipe.devQueries < 0 || recipe.devQueries >= qids.size()) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "%s: devQueries must be in [0, %d] (DL21 has %d queries; 0: no dev set), got %d",
          recipeFile, qids.size() - 1, qids.size(), recipe.devQueries));
    }
    Set<String> devQids = Set.copyOf(qids.subList(qids.size() - recipe.devQueries, qids.size()));
    List<BenchmarkQuery> devQueries = dl21.queries().stream().filter(q -> devQids.contains(q.qid())).toList();
    DevSet dev = null;
    if (!devQueries.isEmpty()) {
      Qrels qrels = dl21.qrels().orElseThrow(() -> new IllegalArgumentException(
          dl21Dir + " has no " + TrecBenchmark.QRELS_FILE + ": the dev queries need judgments"));
      dev = new DevSet("dl21-heldout", devQueries, qrels);
    }
    checkInputsExist(recipeFile, recipe, data);

    Files.createDirectories(out);
    AtomicFiles.writeString(out.resolve("recipe.json"), recipeText);
    AtomicFiles.writeString(out.resolve("trainer-config.json"), recipe.trainer.toJson());

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
      if (dev != null) {
        System.out.printf(Locale.ROOT, "best dev nDCG@10 %.4f at step %d; %d steps skipped; %.2f h%n",
            result.bestDevNdcg10(), result.bestStep(), result.skippedSteps(), hours);
      } else {
        System.out.printf(Locale.ROOT, "no dev set (devQueries 0): the last step's weights (step %d) are kept;"
            + " %d steps skipped; %.2f h%n", result.bestStep(), result.skippedSteps(), hours);
      }
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
    return parseRecipe(file, Files.readString(file));
  }

  /**
   * The recipe {@code text} (of {@code file}, which messages name), checked through: unknown keys (of the
   * recipe, a source or a task), values outside their choices, sources and tasks lacking a field.
   * What depends on the data ({@code devQueries} against DL21's queries, the files) is checked by {@link #run}.
   *
   * @throws IllegalArgumentException naming the file and what is wrong
   */
  static Recipe parseRecipe(Path file, String text) {
    try {
      JsonElement tree = JsonParser.parseString(text);
      if (!tree.isJsonObject()) {
        throw new IllegalArgumentException("a recipe is a JSON object, got " + abbreviated(tree));
      }
      JsonObject json = tree.getAsJsonObject();
      checkKeys(json, Recipe.class, "recipe", "trainer");
      checkKeysOfEach(json.get("sources"), Source.class, "source", "name");
      checkKeysOfEach(json.get("tasks"), Task.class, "task", "task");
      JsonElement trainer = json.remove("trainer");
      Recipe recipe = GSON.fromJson(json, Recipe.class);
      if (recipe.sources == null || recipe.sources.isEmpty()) {
        throw new IllegalArgumentException("recipe has no sources");
      }
      if (recipe.tasks == null) {
        recipe.tasks = new ArrayList<>();
      }
      if (trainer != null) {
        recipe.trainer = TrainerConfig.fromJson(trainer.toString());
      }
      check(recipe);
      return recipe;
    } catch (JsonParseException | IllegalStateException e) {
      throw new IllegalArgumentException(file + ": recipe does not parse: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private static final Gson GSON = new Gson();
  private static final List<String> KINDS = List.of("trec", "r2r", "free-text", "teacher-run");
  private static final List<String> TASKS = List.of("reasons", "evidence");

  private static void check(Recipe recipe) {
    if (recipe.name == null || recipe.name.isBlank()) {
      throw new IllegalArgumentException("recipe 'name' must be a non-empty text");
    }
    if (ModelOption.pretrainedByName(recipe.init) == null) {
      throw new IllegalArgumentException("init '" + recipe.init + "' is not a pretrained encoder name ("
          + Arrays.stream(PretrainedEncoder.values()).map(PretrainedEncoder::modelName).collect(Collectors.joining(", "))
          + ")");
    }
    List<String> modes = Arrays.stream(ScoringMode.values()).map(Enum::name).toList();
    if (!modes.contains(recipe.scoring)) {
      throw new IllegalArgumentException("scoring must be " + oneOf(modes) + ", got '" + recipe.scoring + "'");
    }
    if (!(recipe.interpolateWithInit >= 0 && recipe.interpolateWithInit <= 1)) {
      throw new IllegalArgumentException("interpolateWithInit must lie in [0, 1], got " + recipe.interpolateWithInit);
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < recipe.sources.size(); i++) {
      Source source = recipe.sources.get(i);
      if (source == null || source.name == null || source.name.isBlank()) {
        throw new IllegalArgumentException("source " + (i + 1) + " has no 'name'");
      }
      String what = "source '" + source.name + "'";
      if (!names.add(source.name)) {
        throw new IllegalArgumentException("two sources are named '" + source.name + "'");
      }
      if (source.kind == null) {
        throw new IllegalArgumentException(what + " has no 'kind' (" + oneOf(KINDS) + ")");
      }
      if (!KINDS.contains(source.kind)) {
        throw new IllegalArgumentException(what + " has kind '" + source.kind + "': it must be " + oneOf(KINDS));
      }
      if (source.loss == null || source.loss.isBlank()) {
        throw new IllegalArgumentException(what + " has no 'loss'");
      }
      if (source.paths == null || source.paths.isEmpty()) {
        throw new IllegalArgumentException(what + " has no 'paths'");
      }
      if (source.kind.equals("teacher-run") && source.run == null) {
        throw new IllegalArgumentException(what + " of kind teacher-run has no 'run' file");
      }
      if ((source.kind.equals("trec") || source.kind.equals("teacher-run"))
          && (source.listSize < 2 || source.listsPerQuery < 1)) {
        throw new IllegalArgumentException(what + ": listSize must be at least 2 and listsPerQuery at least 1, got "
            + source.listSize + " and " + source.listsPerQuery);
      }
      if (source.maxLists < 0) {
        throw new IllegalArgumentException(what + ": maxLists must be 0 (all) or more, got " + source.maxLists);
      }
    }
    for (int i = 0; i < recipe.tasks.size(); i++) {
      Task task = recipe.tasks.get(i);
      if (task == null || task.task == null) {
        throw new IllegalArgumentException("task " + (i + 1) + " has no 'task' (" + oneOf(TASKS) + ")");
      }
      String what = "task '" + task.task + "'";
      if (!TASKS.contains(task.task)) {
        throw new IllegalArgumentException(what + " is not " + oneOf(TASKS));
      }
      if (task.paths == null || task.paths.isEmpty()) {
        throw new IllegalArgumentException(what + " has no 'paths'");
      }
      if (task.batchSize < 1 || task.maxQueries < 0) {
        throw new IllegalArgumentException(what + ": batchSize must be positive and maxQueries 0 (all) or more, got "
            + task.batchSize + " and " + task.maxQueries);
      }
    }
  }

  /** Refuses a key of {@code json} that is no field of {@code shape} (nor one of {@code others}). */
  private static void checkKeys(JsonObject json, Class<?> shape, String what, String... others) {
    List<String> known = new ArrayList<>();
    for (Field field : shape.getDeclaredFields()) {
      if (!Modifier.isStatic(field.getModifiers()) && !Modifier.isTransient(field.getModifiers())) {
        known.add(field.getName());
      }
    }
    known.addAll(List.of(others));
    for (String key : json.keySet()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException(
            what + " has an unknown key '" + key + "' (known: " + String.join(", ", known) + ")");
      }
    }
  }

  /** {@link #checkKeys} of each object of a list, named by its {@code nameKey} (or its place in the list). */
  private static void checkKeysOfEach(JsonElement list, Class<?> shape, String what, String nameKey) {
    if (list == null || !list.isJsonArray()) {
      return; // Gson reports a list of the wrong shape
    }
    for (int i = 0; i < list.getAsJsonArray().size(); i++) {
      JsonElement item = list.getAsJsonArray().get(i);
      if (item.isJsonObject()) {
        JsonElement name = item.getAsJsonObject().get(nameKey);
        boolean named = name != null && name.isJsonPrimitive() && name.getAsJsonPrimitive().isString();
        checkKeys(item.getAsJsonObject(), shape, named ? what + " '" + name.getAsString() + "'" : what + " " + (i + 1));
      }
    }
  }

  private static String oneOf(List<String> choices) {
    return String.join(", ", choices.subList(0, choices.size() - 1)) + " or " + choices.get(choices.size() - 1);
  }

  private static String abbreviated(JsonElement json) {
    String text = String.valueOf(json);
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }

  /** Every source's loss spec parses (a learnable one makes its weights in a scratch manager). */
  private static void checkLosses(Path file, Recipe recipe) {
    try (NDManager scratch = NDManager.newBaseManager()) {
      for (Source source : recipe.sources) {
        try {
          LossSpec.parse(source.loss, scratch);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(file + ": source '" + source.name + "': " + e.getMessage(), e);
        }
      }
    }
  }

  /** The files and folders the sources and tasks read exist (a missing one would stop the run after OUT is written). */
  private static void checkInputsExist(Path file, Recipe recipe, Path data) {
    for (Source source : recipe.sources) {
      for (String p : source.paths) {
        requireExists(file, "source '" + source.name + "'", data.resolve(p));
      }
      if (source.run != null) {
        requireExists(file, "source '" + source.name + "'", Path.of(source.run));
      }
    }
    for (Task task : recipe.tasks) {
      for (String p : task.paths) {
        requireExists(file, "task '" + task.task + "'", data.resolve(p));
      }
    }
  }

  private static void requireExists(Path file, String what, Path input) {
    if (!Files.exists(input)) {
      throw new IllegalArgumentException(file + ": " + what + " reads " + input + ", which does not exist");
    }
  }

  /** What of a recipe the checkpoint depends on: all but {@code name} and {@code interpolateWithInit}, which shape only the model written at the end (and the trainer config, which the checkpoint holds). */
  private static final List<String> TRAINING_KEYS = List.of("init", "scoring", "devQueries", "sources", "tasks");

  /**
   * Refuses to resume OUT's checkpoint under a recipe whose training part differs from the one in
   * {@code OUT/recipe.json}: the run would mix two recipes, and recipe.json no longer describe its model.
   */
  private static void checkSameRecipe(Path file, Recipe recipe, Path out) throws IOException {
    Path work = out.resolve("work");
    Path saved = out.resolve("recipe.json");
    boolean checkpointed =
        Files.isDirectory(work.resolve("checkpoint")) || Files.isDirectory(work.resolve("checkpoint.old"));
    if (!checkpointed || !Files.isRegularFile(saved)) {
      return;
    }
    Recipe before;
    try {
      JsonObject json = JsonParser.parseString(Files.readString(saved)).getAsJsonObject();
      json.remove("trainer");
      before = GSON.fromJson(json, Recipe.class);
      if (before.tasks == null) {
        before.tasks = new ArrayList<>(); // as parseRecipe reads a null list of tasks
      }
    } catch (JsonParseException | IllegalStateException e) {
      return; // not a recipe this version reads: there is nothing to compare with
    }
    JsonObject was = GSON.toJsonTree(before).getAsJsonObject();
    JsonObject now = GSON.toJsonTree(recipe).getAsJsonObject();
    List<String> differences = TRAINING_KEYS.stream().filter(k -> !Objects.equals(was.get(k), now.get(k))).toList();
    if (!differences.isEmpty()) {
      throw new IllegalStateException("the checkpoint in " + work + " was trained under " + saved + ", which differs from "
          + file + " in " + String.join(", ", differences) + ": resuming would mix two runs. Resume with " + saved
          + ", or train in a new --out");
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
