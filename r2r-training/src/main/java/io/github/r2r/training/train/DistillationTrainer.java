package io.github.r2r.training.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.google.common.collect.ImmutableMap;
import io.github.r2r.eval.BenchmarkQuery;
import io.github.r2r.eval.Candidate;
import io.github.r2r.eval.EvaluationResult;
import io.github.r2r.eval.Evaluator;
import io.github.r2r.eval.TrecRun;
import io.github.r2r.model.HfBlock;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScalarOps;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.model.io.DType;
import io.github.r2r.text.InputSequence;
import io.github.r2r.text.PaddedBatch;
import io.github.r2r.text.SequenceBuilder;
import io.github.r2r.text.TextTokenizer;
import io.github.r2r.text.TokenizedText;
import io.github.r2r.training.train.loss.LossBreakdown;
import io.github.r2r.training.train.loss.RankingLoss;
import io.github.r2r.training.train.loss.RankingTargets;
import io.github.r2r.training.train.loss.TargetSource;
import io.github.r2r.training.train.loss.WeightedSumLoss;
import io.github.r2r.util.ProgressBar;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Distils rankings into a {@link RankingModel}: listwise batches, AdamW with warm-up and linear decay,
 * global gradient clipping, fixed seeds, one native-memory scope per step, dev evaluation with
 * best-checkpoint keeping, and resumption from the last checkpoint after a crash (same final
 * parameters as an uninterrupted run).
 *
 * <p>Extension points: pass any {@link RankingLoss} per data source (composable with
 * {@link WeightedSumLoss}), or subclass and override {@link #computeLoss} to add a term — the loop,
 * checkpoints and logging stay as they are, and the model card lists the term.
 *
 * <p>Multi-task training: {@link AuxiliaryTask}s (reasons, evidence) add their weighted losses to
 * every step's ranking loss; their parameters are optimised, clipped, checkpointed and resumed with
 * the encoder's, and what they trained is written next to the best model.
 */
public class DistillationTrainer {
  private static final System.Logger LOG = System.getLogger(DistillationTrainer.class.getName());
  private final RankingModel model;
  private final TrainerConfig config;
  private final Map<String, RankingLoss> lossBySource;
  private final List<TrainingList> train;
  private final DevSet dev;
  private final Path workDir;
  private final AdamW optimizer;
  private final Map<String, HfBlock.WeightSlot> trainable = new LinkedHashMap<>();
  /** Auxiliary tasks' parameters, by checkpoint name ({@code task.<name>.<key>}). */
  private final Map<String, HfBlock.WeightSlot> taskParameters = new LinkedHashMap<>();
  private final List<AuxiliaryTask> tasks;
  /** Learning-rate multipliers of the auxiliary tasks' parameters, by checkpoint name. */
  private final Map<String, Float> learningRateScale = new LinkedHashMap<>();
  private final SequenceBuilder sequences;
  private final TokenizedText passagePrefix;
  private ProgressBar progress;

  /**
   * A trainer without auxiliary tasks.
   *
   * @param model the model to train; its weights change in place
   * @param config the configuration; copied and validated, so later changes to it change nothing here
   * @param lossBySource the loss for the lists of each {@link TrainingList#source()}
   * @param train the training lists, not empty; every source must fill at least one step of
   *     {@code config.listsPerStep} lists and every list must carry the targets its source's loss needs
   * @param dev dev set for checkpoint selection, or {@code null}
   * @param workDir where checkpoints, the training log and the output model go
   * @throws IllegalArgumentException if {@code train} is empty, a source has no loss or too few lists, a
   *     list lacks the targets its loss needs, or {@code config.frozenLayers} exceeds the encoder's layers
   * @throws NullPointerException if {@code model}, {@code config} or {@code workDir} is null
   */
  public DistillationTrainer(
      RankingModel model,
      TrainerConfig config,
      Map<String, RankingLoss> lossBySource,
      List<TrainingList> train,
      DevSet dev,
      Path workDir) {
    this(model, config, lossBySource, train, dev, workDir, List.of());
  }

  /**
   * Multi-task training: as the other constructor, plus auxiliary tasks whose weighted losses join
   * every step's ranking loss.
   *
   * @param model the model to train; its weights change in place
   * @param config the configuration; copied and validated, so later changes to it change nothing here
   * @param lossBySource the loss for the lists of each {@link TrainingList#source()}
   * @param train the training lists, not empty (as for the other constructor)
   * @param dev dev set for checkpoint selection, or {@code null}
   * @param workDir where checkpoints, the training log and the output model go
   * @param tasks with distinct, non-blank names; their losses must be computed through {@code model}'s
   *     encoder
   * @throws IllegalArgumentException as the other constructor, and if two tasks share a name, a name is
   *     blank, or two task parameters map to the same checkpoint key
   * @throws NullPointerException if {@code model}, {@code config}, {@code workDir} or {@code tasks} is null
   */
  public DistillationTrainer(
      RankingModel model,
      TrainerConfig config,
      Map<String, RankingLoss> lossBySource,
      List<TrainingList> train,
      DevSet dev,
      Path workDir,
      List<AuxiliaryTask> tasks) {
    this.model = checkNotNull(model, "model");
    this.tasks = List.copyOf(checkNotNull(tasks, "tasks"));
    // The trainer reads the config during the whole run: a copy of its own cannot be changed behind
    // its back (a later listsPerStep = 0 would make the schedule loop forever).
    this.config = checkNotNull(config, "config").copy().validate();
    this.lossBySource = ImmutableMap.copyOf(lossBySource);
    this.train = List.copyOf(train);
    this.dev = dev;
    this.workDir = checkNotNull(workDir, "workDir");
    checkArgument(!train.isEmpty(), "no training lists");
    for (TrainingList list : train) {
      checkArgument(
          lossBySource.containsKey(list.source()),
          "no loss configured for source '%s' (configured: %s)",
          list.source(),
          lossBySource.keySet());
    }
    checkEverySourceFillsAStep(this.train, this.config.listsPerStep);
    checkEveryListCarriesWhatItsLossNeeds(this.train, this.lossBySource);
    this.optimizer = AdamW.defaults(this.config.weightDecay);
    for (Map.Entry<String, HfBlock> block : model.blocks().entrySet()) {
      for (HfBlock.WeightSlot slot : block.getValue().weightSlots().values()) {
        if (!isFrozen(slot.name(), this.config.frozenLayers)) {
          trainable.put(block.getKey() + slot.name(), slot);
        }
      }
    }
    Set<String> taskNames = new HashSet<>();
    for (AuxiliaryTask task : this.tasks) {
      checkArgument(!task.name().isBlank(), "an auxiliary task has a blank name");
      checkArgument(taskNames.add(task.name()), "two auxiliary tasks are named '%s'", task.name());
      for (Map.Entry<String, HfBlock.WeightSlot> p : task.parameters().entrySet()) {
        String key = "task." + task.name() + "." + p.getKey();
        // Distinct names can still spell the same key ("a.b" + "c", "a" + "b.c").
        checkArgument(!taskParameters.containsKey(key), "auxiliary task parameter '%s' is declared twice", key);
        taskParameters.put(key, p.getValue());
        trainable.put(key, p.getValue());
        learningRateScale.put(key, task.learningRateScale());
      }
    }
    checkArgument(
        this.config.frozenLayers <= model.config().encoder().numHiddenLayers(),
        "frozenLayers %s exceeds the encoder's %s layers",
        this.config.frozenLayers,
        model.config().encoder().numHiddenLayers());
    TextTokenizer tokenizer = model.tokenizer();
    this.sequences = new SequenceBuilder(tokenizer.clsId(), tokenizer.sepId(), this.config.maxLength);
    this.passagePrefix = tokenizer.tokenize(model.config().passagePrefix());
  }

  /**
   * A step holds {@code listsPerStep} lists of one source, so a source with fewer lists would never be
   * trained on, while the model card would still list it.
   */
  private static void checkEverySourceFillsAStep(List<TrainingList> train, int listsPerStep) {
    TrainingLists.countBySource(train).forEach(
        (source, lists) ->
            checkArgument(
                lists >= listsPerStep,
                "source '%s' has %s lists, fewer than listsPerStep=%s: none of its lists would ever be trained on",
                source,
                lists,
                listsPerStep));
  }

  /**
   * A batch carries a kind of target only when every one of its lists does, so one list without what
   * its source's loss needs fails the run at the first step that draws it, and again at that step
   * after every resume (the schedule is fixed by the seed): the work up to it could only be kept by
   * resuming with other lists. Refused here instead, before any step.
   */
  private static void checkEveryListCarriesWhatItsLossNeeds(
      List<TrainingList> train, Map<String, RankingLoss> lossBySource) {
    Map<String, Integer> lists = TrainingLists.countBySource(train);
    for (Map.Entry<String, RankingLoss> entry : lossBySource.entrySet()) {
      String source = entry.getKey();
      for (TargetSource needed : entry.getValue().requiredTargets()) {
        TrainingList first = null;
        int lacking = 0;
        for (TrainingList list : train) {
          if (list.source().equals(source) && !carries(list, needed)) {
            first = first == null ? list : first;
            lacking++;
          }
        }
        if (first != null) {
          throw new IllegalArgumentException(String.format(
              "source '%s': its loss needs %s (%s), but the list of %s has none (%d of its %d lists lack them):"
                  + " give every list of the source what its loss needs, or split the lists into sources with"
                  + " their own losses",
              source, needed.description(), entry.getValue(), first.qid(), lacking, lists.get(source)));
        }
      }
    }
  }

  /** Whether {@code list} carries {@code source}'s targets; a {@link TrainingList} has no teacher scores. */
  private static boolean carries(TrainingList list, TargetSource source) {
    return switch (source) {
      case TEACHER_RANKS -> list.hasTeacherRanks();
      case GRADED_LABELS -> list.hasLabels();
      case TEACHER_SCORES -> false;
    };
  }

  /** Whether an encoder parameter (HF name without prefix) is frozen by {@code frozenLayers}. */
  static boolean isFrozen(String name, int frozenLayers) {
    if (frozenLayers == 0) {
      return false;
    }
    if (name.startsWith("embeddings.")) {
      return true;
    }
    Matcher layer = LAYER.matcher(name);
    return layer.lookingAt() && Integer.parseInt(layer.group(1)) < frozenLayers;
  }

  private static final Pattern LAYER = Pattern.compile("encoder\\.layer\\.(\\d+)\\.");

  /** {@return the model being trained (the same instance, whose weights the trainer changes)} */
  public RankingModel model() {
    return model;
  }

  /** {@return a copy of the configuration this trainer runs with (changing it changes nothing here)} */
  public TrainerConfig config() {
    return config.copy();
  }

  /**
   * Checks, without a model, what {@link #train} checks first: that {@code workDir}'s checkpoint, if it
   * has one, was saved under {@code config}. A program calls it before it writes anything of a run that
   * {@link #train} would refuse (a config file that would no longer describe the checkpoint).
   *
   * @param workDir the work directory the run would use; one without a checkpoint passes
   * @param config the configuration the run would use
   *
   * @throws IllegalStateException if {@code workDir}'s checkpoint was saved under another config (the
   *     message {@link #train} gives)
   * @throws IOException if the checkpoint's state does not parse
   */
  public static void checkResumable(Path workDir, TrainerConfig config) throws IOException {
    new Checkpoints(workDir, config.toJson()).checkResumable();
  }

  /**
   * Trains (resuming from {@code workDir}'s checkpoint if there is one) and returns the result.
   *
   * @return where the best model was saved, its dev nDCG@10 ({@code NaN} without a dev set, when the
   *     last step's model is the one saved), its step, the skipped steps and the run's seconds
   * @throws IllegalStateException if {@code workDir}'s checkpoint was saved under another config
   * @throws TrainingDivergedException if {@code maxConsecutiveSkips} consecutive steps were skipped for a
   *     non-finite loss or gradient (the last checkpoint is saved first)
   * @throws IllegalArgumentException if {@link #computeLoss} fails on a batch's data (the message names
   *     the step, the source and the lists)
   * @throws IOException if a checkpoint, the training log or the best model cannot be read or written
   */
  public final TrainingResult train() throws IOException {
    long start = System.nanoTime();
    Checkpoints checkpoints = new Checkpoints(workDir, config.toJson());
    TrainingLog log = new TrainingLog(workDir.resolve("train-log.jsonl"));
    TrainerState state = checkpoints.resume(this::restoreWeights, model.manager(), optimizer, learnableLossWeights())
        .orElse(TrainerState.fresh());
    // Compared with the first step's extra terms, then dropped.
    ExtraLossTerms resumedTerms = null;
    if (state.step() > 0) {
      log.event("resumed", Map.of("step", state.step()));
      // A checkpoint older than the record of extra terms says nothing about them: nothing to compare.
      resumedTerms = state.extraLossTerms().recorded() ? state.extraLossTerms() : null;
    }
    for (HfBlock.WeightSlot slot : trainable.values()) {
      slot.parameter().getArray().setRequiresGradient(true);
    }
    List<List<TrainingList>> schedule = schedule();
    int consecutiveSkips = 0;
    NonFiniteComponents nonFinite = new NonFiniteComponents();
    progress = new ProgressBar(System.err, "training", config.steps);
    progress.step(state.step());
    while (state.step() < config.steps) {
      int step = state.step();
      // Dropout draws from the engine's generator: seeding it per step makes a resumed run identical.
      Engine.getInstance().setRandomSeed((int) (config.seed * 1_000_003L + step));
      StepOutcome outcome = trainStep(schedule.get(step), config.learningRateAt(step), step);
      String source = schedule.get(step).get(0).source();
      if (resumedTerms != null) {
        warnIfTheExtraTermsChanged(resumedTerms, step, source, outcome.extraTerms());
        resumedTerms = null;
      }
      state = state.afterStep(
          outcome.finite(), source, outcome.extraTerms(), outcome.omittedComponents(), trainerName());
      log.step(step + 1, outcome.loss(), outcome.components(), config.learningRateAt(step), outcome.gradNorm(),
          outcome.nonFiniteIn());
      consecutiveSkips = outcome.finite() ? 0 : consecutiveSkips + 1;
      nonFinite.afterStep(outcome);
      if (config.maxConsecutiveSkips > 0 && consecutiveSkips >= config.maxConsecutiveSkips) {
        // Skipping keeps the weights intact, but a run that skips every step only burns time.
        checkpoints.save(checkpointWeights(), optimizer, learnableLossWeights(), state);
        // learningRate and scoreScale are compared on resume: advice to change them must not point at
        // the checkpoint it has just kept.
        throw new TrainingDivergedException(String.format(
            "training diverged: %d consecutive steps up to step %d skipped (%s). The last checkpoint is kept in"
                + " %s: to resume from it, fix the data or the loss term and train again with the same config."
                + " A lower learningRate or scoreScale is another config, which that checkpoint refuses: train"
                + " with it in a new work directory",
            consecutiveSkips, state.step(), nonFinite.describe(outcome), workDir));
      }
      progress.suffix(String.format("loss %.4f", outcome.loss()));
      progress.step(1);
      boolean last = state.step() == config.steps;
      if (dev != null && ((config.evalEvery > 0 && state.step() % config.evalEvery == 0) || last)) {
        double ndcg = evaluate(dev);
        log.event("dev", Map.of("step", state.step(), "ndcg@10", ndcg));
        if (ndcg > state.bestScore()) {
          state = state.withBest(ndcg, state.step());
          saveBest(checkpoints, state);
        }
      }
      if (state.step() % config.checkpointEvery == 0 || last) {
        checkpoints.save(checkpointWeights(), optimizer, learnableLossWeights(), state);
      }
    }
    progress.finish();
    double bestScore = state.bestScore();
    int bestStep = state.bestStep();
    if (dev == null) {
      saveBest(checkpoints, state);
      bestScore = Double.NaN;
      bestStep = state.step();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    log.event("done", Map.of("seconds", seconds, "best_step", bestStep));
    return new TrainingResult(checkpoints.bestDir(), bestScore, bestStep, state.skippedSteps(), seconds);
  }

  /**
   * Warns when the first step after a resume adds other extra loss terms than the checkpoint's steps
   * did for its source, or has them added by another trainer class: the run then mixes two losses,
   * which the resume check of the config cannot see (a {@code computeLoss} override is code). A
   * warning, not a refusal: a term may rightly be absent from one batch (the docs' margin term skips
   * batches without ranks), so one step is not proof enough to refuse a run the user may mean. The
   * model card then credits each term to the classes that added it and counts its steps.
   */
  private void warnIfTheExtraTermsChanged(
      ExtraLossTerms checkpoint, int step, String source, Map<String, Float> extraTerms) {
    List<String> changes = new ArrayList<>();
    String trainer = trainerName();
    for (String name : extraTerms.keySet()) {
      ExtraLossTerms.Term before = checkpoint.terms().get(name);
      if (before == null) {
        changes.add("'" + name + "' is added now but was not before");
      } else if (!before.trainers().isEmpty() && !before.trainers().contains(trainer)) {
        changes.add("'" + name + "' is added by " + trainer + " now, by " + String.join(", ", before.trainers())
            + " before");
      }
    }
    checkpoint.terms().forEach((name, before) -> {
      if (before.sources().contains(source) && !extraTerms.containsKey(name)) {
        changes.add("'" + name + "' was added for source '" + source + "' in " + before.steps()
            + " steps before but not now");
      }
    });
    if (!changes.isEmpty()) {
      LOG.log(System.Logger.Level.WARNING,
          "resumed " + workDir + " at step " + (step + 1) + " with other extra loss terms than its checkpoint's"
              + " steps (" + String.join("; ", changes) + "): the run now mixes two losses. The model card credits"
              + " each term to the trainer that added it, with its steps; to train one loss, resume with the"
              + " checkpoint's trainer, or train in a new work directory");
    }
  }

  /**
   * @param extraTerms the weight of each term of the step's loss beyond its source's configured loss
   * @param omittedComponents the components of the source's configured loss that the step's loss lacked
   * @param nonFiniteIn where a skipped step went wrong: {@code "loss"} or the first parameter with a
   *     non-finite gradient; null for an applied step
   */
  private record StepOutcome(
      float loss,
      Map<String, Float> components,
      Map<String, Float> extraTerms,
      Set<String> omittedComponents,
      float gradNorm,
      boolean finite,
      String nonFiniteIn) {}

  /** Which loss components were non-finite over the current run of skipped steps, for the divergence message. */
  private static final class NonFiniteComponents {
    /** Component name to the number of skipped steps it was non-finite in, and its last such value. */
    private final Map<String, Integer> steps = new LinkedHashMap<>();
    private final Map<String, Float> lastValue = new LinkedHashMap<>();

    void afterStep(StepOutcome outcome) {
      if (outcome.finite()) {
        steps.clear();
        lastValue.clear();
        return;
      }
      outcome.components().forEach((name, value) -> {
        if (!Float.isFinite(value)) {
          steps.merge(name, 1, Integer::sum);
          lastValue.put(name, value);
        }
      });
    }

    /** E.g. {@code non-finite loss: component 'nan_term' was NaN in 20 of them}. */
    String describe(StepOutcome last) {
      if (!"loss".equals(last.nonFiniteIn())) {
        return last.nonFiniteIn().equals("gradient norm")
            ? "non-finite gradient norm"
            : "non-finite gradient, first in " + last.nonFiniteIn();
      }
      if (steps.isEmpty()) {
        return "non-finite loss: every component was finite, their weighted total was not";
      }
      List<String> parts = new ArrayList<>();
      steps.forEach((name, count) -> parts.add(String.format(
          "%s'%s' was %s in %d%s", parts.isEmpty() ? "component " : "", name, lastValue.get(name), count,
          parts.isEmpty() ? " of them" : "")));
      return "non-finite loss: " + String.join(", ", parts);
    }
  }

  private StepOutcome trainStep(List<TrainingList> batch, float learningRate, int step) {
    try (NDManager scope = model.manager().newSubManager()) {
      float lossValue;
      Map<String, Float> components;
      Map<String, Float> extraTerms;
      Set<String> omitted;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        ParameterStore ps = new ParameterStore(scope, false);
        NDArray scores = scoreLists(ps, scope, batch, true);
        RankingTargets targets = targets(scope, batch);
        LossBreakdown breakdown = lossOfStep(scores, targets, batch, step);
        // Before the auxiliary tasks join: the card lists those in a section of their own.
        Set<String> configured = configuredComponents(batch.get(0).source());
        extraTerms = extraTerms(configured, breakdown);
        omitted = omittedComponents(configured, breakdown);
        for (AuxiliaryTask task : tasks) {
          breakdown = breakdown.plus(task.name(), task.loss(ps, scope, step), task.weight().value(scope));
        }
        lossValue = breakdown.total().getFloat();
        components = breakdown.componentValues();
        if (!Float.isFinite(lossValue)) {
          // A non-finite loss would poison the weights and the optimizer moments: skip the step.
          return new StepOutcome(lossValue, components, extraTerms, omitted, Float.NaN, false, "loss");
        }
        collector.backward(breakdown.total());
      }
      Map<String, NDArray> gradients = Gradients.collect(trainable, scope);
      double wideNorm = Gradients.globalNorm(gradients.values());
      if (!Double.isFinite(wideNorm)) {
        String where = Gradients.firstNonFinite(gradients);
        Gradients.zero(gradients.values());
        zeroLossWeightGradients(scope);
        return new StepOutcome(
            lossValue, components, extraTerms, omitted, Float.NaN, false, where == null ? "gradient norm" : where);
      }
      float norm =
          Gradients.clipAndStep(trainable, gradients, wideNorm, config.maxGradNorm, optimizer, learningRate,
              learningRateScale);
      updateLossWeights(scope);
      Gradients.zero(gradients.values());
      return new StepOutcome(lossValue, components, extraTerms, omitted, norm, true, null);
    }
  }

  /**
   * The loss of one batch. The default applies the batch's source loss; override to add terms
   * (call {@code super.computeLoss} and add to its total). Runs inside the gradient collector.
   * The model card lists every term beyond the source's configured loss with its weight, the
   * sources it was added for and in how many steps: nothing to declare.
   *
   * @param scores student scores [lists, maxListSize], padding where {@code targets}' mask is 0
   * @param targets the batch's supervision, as {@link #targets} builds it
   * @param batch the step's lists, all of one source, in the rows' order
   * @return the loss and its named, weighted components; its total must be a scalar
   */
  protected LossBreakdown computeLoss(NDArray scores, RankingTargets targets, List<TrainingList> batch) {
    RankingLoss loss = lossBySource.get(batch.get(0).source());
    if (loss instanceof WeightedSumLoss weighted) {
      return weighted.computeWithBreakdown(scores, targets);
    }
    NDArray value = loss.compute(scores, targets);
    return LossBreakdown.single(loss.name(), value);
  }

  /**
   * {@link #computeLoss}, with a failure of the data or of a term named by the step, the source and the
   * lists. The constructor checks what the configured losses need, but not what an override's term
   * reads ({@code targets.gradedLabels().get()} on lists that carry only ranks).
   */
  private LossBreakdown lossOfStep(
      NDArray scores, RankingTargets targets, List<TrainingList> batch, int step) {
    try {
      return computeLoss(scores, targets, batch);
    } catch (IllegalArgumentException | NoSuchElementException e) {
      String where = String.format(
          "step %d, source '%s', lists %s: ",
          step + 1, batch.get(0).source(), String.join(", ", batch.stream().map(TrainingList::qid).toList()));
      String carried = e instanceof NoSuchElementException ? " (this batch's targets carry " + carried(targets) + ")" : "";
      throw new IllegalArgumentException(where + e.getMessage() + carried, e);
    }
  }

  /** The kinds of targets {@code targets} carries, for a message. */
  private static String carried(RankingTargets targets) {
    List<String> kinds = new ArrayList<>();
    for (TargetSource source : TargetSource.values()) {
      if (targets.get(source).isPresent()) {
        kinds.add(source.description());
      }
    }
    return kinds.isEmpty() ? "only the validity mask" : String.join(" and ", kinds);
  }

  /** The names of the components of {@code source}'s configured loss, as its breakdown names them. */
  private Set<String> configuredComponents(String source) {
    RankingLoss configured = lossBySource.get(source);
    Set<String> names = new LinkedHashSet<>();
    if (configured instanceof WeightedSumLoss weighted) {
      weighted.components().forEach(c -> names.add(c.name()));
    } else {
      names.add(configured.name());
    }
    return names;
  }

  /**
   * The components of the configured loss ({@code configured}, {@link #configuredComponents}) that
   * {@code breakdown} lacks: an override that returns a loss of its own instead of adding to {@code
   * super.computeLoss} did not train them, and the model card says so.
   */
  private static Set<String> omittedComponents(Set<String> configured, LossBreakdown breakdown) {
    Set<String> omitted = new LinkedHashSet<>(configured);
    omitted.removeAll(breakdown.weights().keySet());
    return omitted;
  }

  /** The weights of {@code breakdown}'s components that the configured loss ({@code configured}) does not name. */
  private static Map<String, Float> extraTerms(Set<String> configured, LossBreakdown breakdown) {
    Map<String, Float> extra = new LinkedHashMap<>();
    breakdown.weights().forEach((name, weight) -> {
      if (!configured.contains(name)) {
        extra.put(name, weight);
      }
    });
    return extra;
  }

  /**
   * Student scores for each list of the batch: [lists, maxListSize], padded with zeros.
   * Bi-encoders: {@code scoreScale × cosine(query, passage)}; cross-encoders: rank-head logits.
   *
   * @param ps the parameter store of the step
   * @param scope the step's native-memory scope; the result is attached to it
   * @param batch the lists to score, one row each
   * @param training whether the model runs in training mode (dropout)
   * @return the scores [lists, maxListSize], zero where a list is shorter than the longest
   */
  protected NDArray scoreLists(ParameterStore ps, NDManager scope, List<TrainingList> batch, boolean training) {
    List<String> queries = new ArrayList<>();
    List<String> passages = new ArrayList<>();
    int maxSize = 0;
    for (TrainingList list : batch) {
      queries.add(list.query());
      passages.addAll(list.passages());
      maxSize = Math.max(maxSize, list.size());
    }
    NDArray matrix = scoreMatrix(ps, scope, queries, passages, batch, training);
    long[] index = new long[batch.size() * maxSize];
    int offset = 0;
    for (int l = 0; l < batch.size(); l++) {
      for (int i = 0; i < maxSize; i++) {
        index[l * maxSize + i] = i < batch.get(l).size() ? offset + i : offset;
      }
      offset += batch.get(l).size();
    }
    NDArray gathered = matrix.gather(scope.create(index, new Shape(batch.size(), maxSize)), 1);
    return gathered.mul(targetsMask(scope, batch, maxSize));
  }

  /** [queries, passages] scores of every query against every passage of the batch. */
  private NDArray scoreMatrix(
      ParameterStore ps, NDManager scope, List<String> queries, List<String> passages, List<TrainingList> lists, boolean training) {
    TextTokenizer tokenizer = model.tokenizer();
    if (model.config().scoring() == ScoringMode.CROSS_ENCODER) {
      List<InputSequence> pairs = new ArrayList<>();
      int offset = 0;
      int[] owner = new int[passages.size()];
      for (int l = 0; l < lists.size(); l++) {
        TokenizedText query = tokenizer.tokenize(model.config().queryPrefix() + queries.get(l));
        for (int i = 0; i < lists.get(l).size(); i++) {
          TokenizedText doc = tokenizer.tokenize(model.config().passagePrefix() + passages.get(offset));
          pairs.add(sequences.pairWindows(query, doc, config.maxLength, config.maxLength, 1).get(0));
          owner[offset++] = l;
        }
      }
      NDList inputs = new PaddedBatch(pairs).toNDList(scope);
      NDArray logits = model.crossLogits(ps, inputs, training);
      return logits.expandDims(0).repeat(0, queries.size());
    }
    List<InputSequence> querySequences = new ArrayList<>();
    for (String q : queries) {
      querySequences.add(sequences.single(tokenizer.tokenize(model.config().queryPrefix() + q)));
    }
    List<InputSequence> passageSequences = new ArrayList<>();
    for (String p : passages) {
      passageSequences.add(
          sequences.singleWindows(passagePrefix, tokenizer.tokenize(p), config.maxLength, config.maxLength, 1).get(0));
    }
    NDArray q = normalise(model.pooledEmbedding(ps, new PaddedBatch(querySequences).toNDList(scope), training));
    NDArray p = normalise(model.pooledEmbedding(ps, new PaddedBatch(passageSequences).toNDList(scope), training));
    return ScalarOps.times(q.matMul(p.transpose()), config.scoreScale);
  }

  /** Each row divided by its L2 norm (at least 1e-12). */
  static NDArray normalise(NDArray x) {
    return x.div(ScalarOps.atLeast(x.norm(new int[] {1}, true), 1e-12f));
  }

  private NDArray targetsMask(NDManager scope, List<TrainingList> batch, int maxSize) {
    float[] mask = new float[batch.size() * maxSize];
    for (int l = 0; l < batch.size(); l++) {
      for (int i = 0; i < batch.get(l).size(); i++) {
        mask[l * maxSize + i] = 1f;
      }
    }
    return scope.create(mask, new Shape(batch.size(), maxSize));
  }

  /**
   * The supervision of a batch as {@link RankingTargets} on the step's scope: the validity mask, plus
   * graded labels if every list has labels and teacher ranks if every list has teacher ranks.
   *
   * @param scope the step's native-memory scope; the arrays are created on it
   * @param batch the step's lists, not empty
   * @return the targets, [lists, maxListSize] each
   */
  protected RankingTargets targets(NDManager scope, List<TrainingList> batch) {
    int maxSize = batch.stream().mapToInt(TrainingList::size).max().orElseThrow();
    RankingTargets.Builder builder = RankingTargets.builder(targetsMask(scope, batch, maxSize));
    if (batch.stream().allMatch(TrainingList::hasLabels)) {
      float[] labels = new float[batch.size() * maxSize];
      for (int l = 0; l < batch.size(); l++) {
        batch.get(l).copyLabelsInto(labels, l * maxSize);
      }
      builder.gradedLabels(scope.create(labels, new Shape(batch.size(), maxSize)));
    }
    if (batch.stream().allMatch(TrainingList::hasTeacherRanks)) {
      float[] ranks = new float[batch.size() * maxSize];
      Arrays.fill(ranks, 1f);
      for (int l = 0; l < batch.size(); l++) {
        batch.get(l).copyTeacherRanksInto(ranks, l * maxSize);
      }
      builder.teacherRanks(scope.create(ranks, new Shape(batch.size(), maxSize)));
    }
    return builder.build();
  }

  /**
   * nDCG@10 of the current weights on a dev set (inference mode, no gradients).
   *
   * @param devSet the queries, their candidates and qrels
   * @return the mean nDCG@10 over the dev queries, in [0, 1]
   */
  public double evaluate(DevSet devSet) {
    TrecRun.Builder run = TrecRun.builder();
    for (BenchmarkQuery q : devSet.queries()) {
      float[] scores = score(q.query(), q.candidates().stream().map(Candidate::text).toList());
      for (int i = 0; i < scores.length; i++) {
        run.add(q.qid(), q.candidates().get(i).docid(), scores[i]);
      }
    }
    EvaluationResult result = Evaluator.trecDeepLearningPassage().evaluate(devSet.qrels(), run.build());
    return result.mean("ndcg@10");
  }

  /**
   * Scores passages for a query with the current weights, in chunks, without gradients.
   *
   * @param query the query text
   * @param passages the passages to score (an empty list gives an empty array)
   * @return one score per passage, in the order of {@code passages}
   */
  public float[] score(String query, List<String> passages) {
    float[] out = new float[passages.size()];
    int chunk = 32;
    for (int start = 0; start < passages.size(); start += chunk) {
      List<String> part = passages.subList(start, Math.min(passages.size(), start + chunk));
      if (part.size() < 2) {
        part = new ArrayList<>(part);
        part.add(part.get(0)); // a list needs two entries; the duplicate's score is dropped
      }
      int[] ranks = new int[part.size()];
      Arrays.setAll(ranks, i -> i + 1); // unread: scoring needs no targets, but a list needs some
      TrainingList list = new TrainingList("dev", "dev", query, part, null, ranks);
      try (NDManager scope = model.manager().newSubManager()) {
        float[] scores = scoreLists(new ParameterStore(scope, false), scope, List.of(list), false).toFloatArray();
        System.arraycopy(scores, 0, out, start, Math.min(chunk, passages.size() - start));
      }
    }
    return out;
  }

  /**
   * The step order: every epoch shuffles the lists and cuts them into single-source batches (every
   * source fills at least one, as the constructor checks).
   */
  private List<List<TrainingList>> schedule() {
    Random random = new Random(config.seed);
    List<List<TrainingList>> steps = new ArrayList<>();
    while (steps.size() < config.steps) {
      List<TrainingList> shuffled = new ArrayList<>(train);
      Collections.shuffle(shuffled, random);
      Map<String, List<TrainingList>> bySource = new LinkedHashMap<>();
      for (TrainingList list : shuffled) {
        bySource.computeIfAbsent(list.source(), k -> new ArrayList<>()).add(list);
      }
      List<List<TrainingList>> epoch = new ArrayList<>();
      for (List<TrainingList> lists : bySource.values()) {
        for (int i = 0; i + config.listsPerStep <= lists.size(); i += config.listsPerStep) {
          epoch.add(lists.subList(i, i + config.listsPerStep));
        }
      }
      Collections.shuffle(epoch, random);
      steps.addAll(epoch);
    }
    return steps.subList(0, config.steps);
  }

  private List<NDArray> learnableLossWeights() {
    List<NDArray> weights = new ArrayList<>();
    for (RankingLoss loss : lossBySource.values()) {
      if (loss instanceof WeightedSumLoss weighted) {
        weights.addAll(weighted.learnableParameters());
      }
    }
    for (AuxiliaryTask task : tasks) {
      task.weight().logit().ifPresent(weights::add);
    }
    return weights;
  }

  /** The model's weights and the auxiliary tasks' parameters, as one checkpoint. */
  private Map<String, io.github.r2r.model.io.Tensor> checkpointWeights() {
    Map<String, io.github.r2r.model.io.Tensor> out = new LinkedHashMap<>(model.exportWeights());
    for (Map.Entry<String, HfBlock.WeightSlot> p : taskParameters.entrySet()) {
      NDArray value = p.getValue().parameter().getArray();
      out.put(p.getKey(), io.github.r2r.model.io.Tensor.ofFloats(p.getKey(), value.getShape().getShape(), value.toFloatArray()));
    }
    return out;
  }

  /** Restores {@link #checkpointWeights}. */
  private void restoreWeights(Map<String, io.github.r2r.model.io.Tensor> weights, String source) throws IOException {
    for (Map.Entry<String, HfBlock> block : model.blocks().entrySet()) {
      io.github.r2r.model.WeightStore.load(block.getValue(), block.getKey(), weights, model.manager(), source);
    }
    for (Map.Entry<String, HfBlock.WeightSlot> p : taskParameters.entrySet()) {
      io.github.r2r.model.io.Tensor saved = weights.get(p.getKey());
      if (saved == null) {
        throw new IOException(source + " has no '" + p.getKey() + "': the auxiliary tasks changed since it was written");
      }
      p.getValue().parameter().getArray().set(saved.toFloatArray());
    }
  }

  /** The best model directory: the ranking model, then what each auxiliary task trained. */
  private void saveBest(Checkpoints checkpoints, TrainerState state) throws IOException {
    checkpoints.saveBest(model, bestCard(state));
    for (AuxiliaryTask task : tasks) {
      task.save(checkpoints.bestDir());
    }
  }

  private void zeroLossWeightGradients(NDManager scope) {
    for (NDArray weight : learnableLossWeights()) {
      NDArray gradient = weight.getGradient();
      gradient.attach(scope);
      Gradients.zero(List.of(gradient));
    }
  }

  private void updateLossWeights(NDManager scope) {
    for (NDArray weight : learnableLossWeights()) {
      NDArray gradient = weight.getGradient();
      gradient.attach(scope);
      try (NDArray step = gradient.mul(config.lossWeightLearningRate)) {
        weight.subi(step);
      }
      Gradients.zero(List.of(gradient));
    }
  }

  private String bestCard(TrainerState state) {
    String card = ModelCard.render(model, config, lossBySource, train, dev, state);
    if (tasks.isEmpty()) {
      return card;
    }
    StringBuilder out = new StringBuilder(card).append("\n## Auxiliary tasks (multi-task training)\n\n");
    for (AuxiliaryTask task : tasks) {
      out.append("- ").append(task.name()).append(", weight ").append(task.weight()).append('\n');
    }
    return out.toString();
  }

  /** The class whose {@code computeLoss} runs, as the card names it (an anonymous class has no simple name). */
  private String trainerName() {
    Class<?> c = getClass();
    return c.getSimpleName().isEmpty() ? c.getName() : c.getSimpleName();
  }

  /**
   * Saves the current weights as a model directory (for callers that manage outputs themselves).
   *
   * @param dir the directory to write
   * @param dtype the data type to store the weights in
   * @param card the model card's Markdown text
   * @throws IOException if the directory cannot be written
   */
  public void saveModel(Path dir, DType dtype, String card) throws IOException {
    model.save(dir, dtype, card);
  }
}
