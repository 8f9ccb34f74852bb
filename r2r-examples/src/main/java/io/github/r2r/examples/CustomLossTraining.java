package io.github.r2r.examples;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.r2r.eval.SharedData;
import io.github.r2r.model.BertConfig;
import io.github.r2r.model.ModelConfig;
import io.github.r2r.model.Pooling;
import io.github.r2r.model.PretrainedEncoder;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScalarOps;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.training.data.ReasonToRankReader;
import io.github.r2r.training.data.TrainingQuery;
import io.github.r2r.training.train.DistillationTrainer;
import io.github.r2r.training.train.TrainerConfig;
import io.github.r2r.training.train.TrainingList;
import io.github.r2r.training.train.TrainingLists;
import io.github.r2r.training.train.TrainingResult;
import io.github.r2r.training.train.loss.ListNetLoss;
import io.github.r2r.training.train.loss.LossBreakdown;
import io.github.r2r.training.train.loss.RankingLoss;
import io.github.r2r.training.train.loss.RankingTargets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Adds a custom loss term to the distillation trainer by subclassing it: the loop, checkpoints,
 * resumption and logging stay the trainer's; the subclass only says what else to minimise.
 *
 * <p>The extra term is a hinge on score margins: the teacher's first passage of each list should
 * outscore every other passage of that list by at least {@link MarginTrainer#MARGIN}. By default it
 * trains a tiny random cross-encoder for a few seconds, which shows the mechanics but learns little
 * in 20 steps; {@code --init e5-small-v2} fine-tunes a real bi-encoder instead (minutes on 2
 * cores). The data are 16 Reason-to-Rank teacher windows from the shared data ({@code --data DIR}, which
 * must hold {@code r2r-teacher/train-msmarco-500.jsonl}, or found as the other examples find it), else
 * built-in lists. It prints each step's loss components from the training log.
 *
 * <pre>
 * mvn -q -pl r2r-examples exec:java -Dexec.mainClass=io.github.r2r.examples.CustomLossTraining \
 *     [-Dexec.args="--steps 20 --out runs/custom-loss --init tiny|e5-small-v2"]</pre>
 */
public final class CustomLossTraining {
  private static final String USAGE =
      "usage: CustomLossTraining [--steps N] [--out DIR] [--init tiny|e5-small-v2] [--data"
          + " SHARED_DATA_DIR]";
  private static final String SOURCE = "teacher";
  private static final String TEACHER_FILE = "r2r-teacher/train-msmarco-500.jsonl";

  private CustomLossTraining() {}

  /** The trainer plus one term: {@code mean relu(MARGIN - (s_first - s_other))} over each list. */
  static final class MarginTrainer extends DistillationTrainer {
    static final float MARGIN = 1f;
    static final float WEIGHT = 0.5f;

    MarginTrainer(
        RankingModel model,
        TrainerConfig config,
        Map<String, RankingLoss> losses,
        List<TrainingList> lists,
        Path workDir) {
      super(model, config, losses, lists, null, workDir);
    }

    @Override
    protected LossBreakdown computeLoss(
        NDArray scores, RankingTargets targets, List<TrainingList> batch) {
      LossBreakdown loss = super.computeLoss(scores, targets, batch);
      Optional<NDArray> ranks = targets.teacherRanks();
      if (ranks.isEmpty()) {
        return loss; // lists with graded labels only have no single "teacher's first"
      }
      NDArray real = targets.validityMask();
      NDArray first = ranks.get().eq(1f).toType(DataType.FLOAT32, false).mul(real);
      NDArray others = real.sub(first);
      NDArray firstScore = scores.mul(first).sum(new int[] {1}, true);
      NDArray shortfall = ScalarOps.atLeast(scores.sub(firstScore).add(MARGIN), 0f).mul(others);
      // atLeast like every constant in the term (docs/training.md: DJL's maximum(1f) would be safe
      // on this gradient-free count, but one rule for the whole term is easier to keep).
      NDArray hinge = shortfall.sum().div(ScalarOps.atLeast(others.sum(), 1f));
      return loss.plus("first_margin_hinge", hinge, WEIGHT);
    }
  }

  public static void main(String[] args) throws IOException {
    CommandLine.runMain(USAGE, args, CustomLossTraining::run);
  }

  /** The program on {@code args}: what {@link #main} runs, and what tests call. */
  static void run(String[] args) throws IOException {
    CommandLine cli = new CommandLine(args, Set.of("steps", "out", "init", "data"));
    String init = cli.choice("init", "tiny", "tiny", "e5-small-v2");
    Path out =
        cli.optional("out").isPresent()
            ? Path.of(cli.required("out"))
            : Files.createTempDirectory("r2r-custom-loss");

    TrainerConfig config = new TrainerConfig();
    config.steps = cli.intValue("steps", 20);
    config.listsPerStep = 2;
    config.maxLength = 96;
    config.learningRate = init.equals("tiny") ? 1e-2f : 2e-5f;
    config.evalEvery = 0;
    config.checkpointEvery = 10;
    config.validate();

    List<TrainingList> lists = trainingLists(cli);
    Map<String, RankingLoss> losses = Map.of(SOURCE, ListNetLoss.fromTeacherRanks(1f));
    try (RankingModel model = model(init)) {
      System.out.printf(
          Locale.ROOT,
          "model %s (%s), %d lists, %d steps, work dir %s%n",
          model.config().name(),
          model.config().scoring(),
          lists.size(),
          config.steps,
          out);
      MarginTrainer trainer = new MarginTrainer(model, config, losses, lists, out);
      TrainingResult result = trainer.train();

      printLog(out.resolve("train-log.jsonl"));
      System.out.printf(
          Locale.ROOT,
          "%nmodel written to %s (%d steps skipped, %.1f s)%n",
          result.modelDir(),
          result.skippedSteps(),
          result.seconds());
      TrainingList first = lists.get(0);
      float[] scores = trainer.score(first.query(), first.passages());
      System.out.println("query: " + first.query());
      for (int i = 0; i < scores.length; i++) {
        System.out.printf(
            Locale.ROOT,
            "  teacher rank %d  score %7.3f  %s%n",
            first.teacherRanks()[i],
            scores[i],
            abbreviate(first.passages().get(i)));
      }
    }
  }

  private static RankingModel model(String init) throws IOException {
    PretrainedEncoder e5 = PretrainedEncoder.E5_SMALL_V2;
    if (init.equals("e5-small-v2")) {
      return RankingModel.pretrained(e5, Device.cpu());
    }
    ModelConfig tiny =
        new ModelConfig(
            "tiny-custom-loss",
            new BertConfig(30522, 64, 2, 2, 128, 128, 2, 1e-12f),
            ScoringMode.CROSS_ENCODER,
            Pooling.MEAN,
            "",
            "",
            128);
    try (InputStream tokenizer = RankingModel.class.getResourceAsStream(e5.tokenizerResource())) {
      if (tokenizer == null) {
        throw new IOException(
            "classpath resource "
                + e5.tokenizerResource()
                + " not found: add "
                + e5.mavenCoordinates());
      }
      return RankingModel.initialized(tiny, tokenizer.readAllBytes(), Device.cpu(), 42);
    }
  }

  /**
   * Sixteen Reason-to-Rank teacher windows from the shared data, or built-in lists when no {@code --data}
   * is given and the shared data is not found. A {@code --data} without the file is a usage error: a
   * mistyped path would otherwise train on the toy lists and exit 0.
   */
  private static List<TrainingList> trainingLists(CommandLine cli) throws IOException {
    Optional<String> given = cli.optional("data");
    Optional<Path> file;
    if (given.isPresent()) {
      Path path = Path.of(given.get()).resolve(TEACHER_FILE);
      if (!Files.isRegularFile(path)) {
        throw new UsageException("--data " + given.get() + " has no " + TEACHER_FILE + " (" + path + " is not a file)");
      }
      file = Optional.of(path);
    } else {
      file = SharedData.locate().map(root -> root.resolve(TEACHER_FILE)).filter(Files::isRegularFile);
    }
    if (file.isEmpty()) {
      System.out.println("shared data not found: training on built-in lists");
      return builtInLists();
    }
    List<TrainingQuery> queries = ReasonToRankReader.builder().build().read(file.get()).queries();
    return TrainingLists.fromTeacherOrder(SOURCE, queries.subList(0, Math.min(16, queries.size())));
  }

  private static List<TrainingList> builtInLists() {
    return List.of(
        list(
            "q1",
            "how do vaccines train the immune system",
            "Vaccines expose the immune system to a harmless part of a pathogen so it produces"
                + " antibodies and memory cells.",
            "A vaccine schedule lists which shots children receive at which age.",
            "Antibiotics kill bacteria but have no effect on viruses."),
        list(
            "q2",
            "what causes ocean tides",
            "Tides are caused by the gravitational pull of the moon and, to a lesser degree, the"
                + " sun on the oceans.",
            "High tide and low tide alternate roughly twice a day along most coasts.",
            "Coral reefs grow in warm, shallow ocean water."),
        list(
            "q3",
            "why is the sky blue",
            "Air molecules scatter short blue wavelengths of sunlight far more than red ones, so"
                + " the sky looks blue.",
            "At sunset the sky often turns orange and red.",
            "Blue whales are the largest animals ever known to have lived."),
        list(
            "q4",
            "how does a refrigerator keep food cold",
            "A refrigerator pumps a refrigerant that absorbs heat inside the cabinet as it"
                + " evaporates and releases it outside.",
            "Food keeps longer in the cold because bacteria grow more slowly.",
            "The first electric refrigerators for homes were sold in the 1910s."));
  }

  /** A list whose passages the teacher ranked in the order given. */
  private static TrainingList list(String qid, String query, String... passagesBestFirst) {
    int[] ranks = new int[passagesBestFirst.length];
    for (int i = 0; i < ranks.length; i++) {
      ranks[i] = i + 1;
    }
    return new TrainingList(SOURCE, qid, query, List.of(passagesBestFirst), null, ranks);
  }

  /** Each step's total and components, as the trainer logged them (a resumed run appends). */
  private static void printLog(Path log) throws IOException {
    System.out.println();
    for (String line : Files.readAllLines(log)) {
      JsonObject json = JsonParser.parseString(line).getAsJsonObject();
      if (json.has("event")) {
        System.out.println("event " + json.get("event").getAsString());
        continue;
      }
      StringBuilder row =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "step %3d  loss %s",
                  json.get("step").getAsInt(),
                  number(json.get("loss"))));
      for (Map.Entry<String, JsonElement> component :
          json.getAsJsonObject("components").entrySet()) {
        row.append("  ")
            .append(component.getKey())
            .append(' ')
            .append(number(component.getValue()));
      }
      System.out.println(row);
    }
  }

  private static String number(JsonElement value) {
    return value.isJsonNull() ? "   NaN" : String.format(Locale.ROOT, "%.4f", value.getAsDouble());
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}
