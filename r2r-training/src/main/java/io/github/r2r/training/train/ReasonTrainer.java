package io.github.r2r.training.train;

import static com.google.common.base.Preconditions.checkArgument;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.github.r2r.generate.ReasonDecoder;
import io.github.r2r.generate.ReasonModel;
import io.github.r2r.model.HfBlock;
import io.github.r2r.model.WeightStore;
import io.github.r2r.model.io.DType;
import io.github.r2r.text.InputSequence;
import io.github.r2r.text.PaddedBatch;
import io.github.r2r.util.ProgressBar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains a {@link ReasonModel}'s decoder on teacher reasons with the ranking encoder frozen: the
 * encoder states of every input are computed once, and only the decoder learns, so the ranking model
 * (and every score it gives) is exactly what it was before.
 *
 * <p>The loop matches {@link DistillationTrainer}'s: AdamW, linear warm-up and decay, global-norm
 * clipping, seeded dropout per step, non-finite steps skipped (and a run that keeps skipping stopped),
 * a checkpoint every {@code checkpointEvery} steps that a restarted run resumes from, dev loss every
 * {@code evalEvery} steps with the best decoder kept in {@code workDir/best}, and a JSONL log. Override
 * {@link #computeLoss} to change or add to the loss.
 */
public class ReasonTrainer {
  private final ReasonModel model;
  private final ReasonTrainerConfig config;
  private final List<ReasonExample> train;
  private final List<ReasonExample> dev;
  private final Path workDir;
  private final AdamW optimizer;
  private final Map<String, HfBlock.WeightSlot> trainable;

  /**
   * Result of a run: where the best decoder is, and how it went.
   *
   * @param bestDir the directory of the best decoder ({@code workDir/best})
   * @param bestDevLoss its mean per-token dev loss, {@code NaN} without dev examples (the last step's
   *     decoder is then the one saved)
   * @param bestStep the step it was saved at
   * @param skippedSteps steps skipped for a non-finite loss or gradient
   * @param seconds the run's wall-clock time
   */
  public record Result(Path bestDir, double bestDevLoss, int bestStep, int skippedSteps, double seconds) {}

  /**
   * A trainer of {@code model}'s decoder.
   *
   * @param model the reason model whose decoder trains (its encoder stays as it is)
   * @param config the settings; copied and validated
   * @param train the training examples, at least {@code config.batchSize}
   * @param dev examples for checkpoint selection by dev loss; null or empty for none
   * @param workDir where checkpoints, the training log and the best decoder go
   * @throws IllegalArgumentException if {@code model}, {@code config} or {@code workDir} is null, a
   *     setting is out of range, or there are fewer training examples than {@code config.batchSize}
   */
  public ReasonTrainer(
      ReasonModel model, ReasonTrainerConfig config, List<ReasonExample> train, List<ReasonExample> dev, Path workDir) {
    checkArgument(model != null && config != null && workDir != null, "model, config and workDir are required");
    // A copy of its own, which the caller cannot change during the run.
    this.config = config.copy().validate();
    checkArgument(train != null && train.size() >= this.config.batchSize,
        "need at least batchSize=%s training reasons, got %s", this.config.batchSize, train == null ? 0 : train.size());
    this.model = model;
    this.train = List.copyOf(train);
    this.dev = dev == null ? List.of() : List.copyOf(dev);
    this.workDir = workDir;
    this.optimizer = AdamW.defaults(this.config.weightDecay);
    this.trainable = model.decoder().weightSlots();
  }

  /** {@return the model being trained (the same instance, whose decoder weights change)} */
  public ReasonModel model() {
    return model;
  }

  /**
   * Checks, without a model, what {@link #train} checks first: that {@code workDir}'s checkpoint, if it
   * has one, was saved under {@code config} (see {@link DistillationTrainer#checkResumable}).
   *
   * @param workDir the work directory the run would use; one without a checkpoint passes
   * @param config the settings the run would use
   * @throws IllegalStateException if {@code workDir}'s checkpoint was saved under another config
   * @throws IOException if the checkpoint's state does not parse
   */
  public static void checkResumable(Path workDir, ReasonTrainerConfig config) throws IOException {
    new Checkpoints(workDir, config.toJson()).checkResumable();
  }

  /**
   * Trains (resuming from {@code workDir}'s checkpoint if there is one).
   *
   * @return where the best decoder is, and how the run went
   * @throws IllegalStateException if {@code workDir}'s checkpoint was saved under another config
   * @throws TrainingDivergedException if {@code maxConsecutiveSkips} consecutive steps were skipped
   * @throws IOException if a checkpoint, the training log or the best decoder cannot be read or written
   */
  public final Result train() throws IOException {
    long start = System.nanoTime();
    Checkpoints checkpoints = new Checkpoints(workDir, config.toJson());
    TrainingLog log = new TrainingLog(workDir.resolve("train-log.jsonl"));
    TrainerState state =
        checkpoints
            .resume(
                (weights, source) -> WeightStore.load(model.decoder(), "", weights, model.encoder().manager(), source),
                model.encoder().manager(), optimizer, List.of())
            .orElse(TrainerState.fresh());
    if (state.step() > 0) {
      log.event("resumed", Map.of("step", state.step()));
    }
    float[][] trainMemory = encode(train, "encoding train");
    float[][] devMemory = encode(dev, "encoding dev");
    for (HfBlock.WeightSlot slot : trainable.values()) {
      slot.parameter().getArray().setRequiresGradient(true);
    }
    List<int[]> batches = lengthBuckets(train, config.batchSize);
    int consecutiveSkips = 0;
    ProgressBar progress = new ProgressBar(System.err, "training reasons", config.steps);
    progress.step(state.step());
    while (state.step() < config.steps) {
      int step = state.step();
      Engine.getInstance().setRandomSeed((int) (config.seed * 1_000_003L + step));
      float learningRate = config.learningRateAt(step);
      StepOutcome outcome = trainStep(scheduled(batches, step), trainMemory, learningRate);
      state = state.afterStep(outcome.nonFiniteIn() == null);
      log.step(step + 1, outcome.loss(), Map.of("token_loss", outcome.loss()), learningRate, outcome.gradNorm(),
          outcome.nonFiniteIn());
      consecutiveSkips = outcome.nonFiniteIn() == null ? 0 : consecutiveSkips + 1;
      if (config.maxConsecutiveSkips > 0 && consecutiveSkips >= config.maxConsecutiveSkips) {
        checkpoints.save(WeightStore.export(model.decoder(), ""), optimizer, List.of(), state);
        throw new TrainingDivergedException(String.format(
            "reason training diverged: %d consecutive steps up to step %d skipped (non-finite %s). The last"
                + " checkpoint is kept in %s, but a lower learningRate is another config, which that checkpoint"
                + " refuses: train with it in a new work directory",
            consecutiveSkips, state.step(), outcome.nonFiniteIn(), workDir));
      }
      progress.suffix(String.format("loss %.4f", outcome.loss()));
      progress.step(1);
      boolean last = state.step() == config.steps;
      if (!dev.isEmpty() && ((config.evalEvery > 0 && state.step() % config.evalEvery == 0) || last)) {
        double devLoss = devLoss(devMemory);
        log.event("dev", Map.of("step", state.step(), "token_nll", devLoss));
        // TrainerState keeps the best score as "higher is better".
        if (-devLoss > state.bestScore()) {
          state = state.withBest(-devLoss, state.step());
          saveBest();
        }
      }
      if (state.step() % config.checkpointEvery == 0 || last) {
        checkpoints.save(WeightStore.export(model.decoder(), ""), optimizer, List.of(), state);
      }
    }
    progress.finish();
    if (dev.isEmpty()) {
      saveBest();
      state = state.withBest(Double.NaN, state.step());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    log.event("done", Map.of("seconds", seconds, "best_step", state.bestStep()));
    return new Result(workDir.resolve("best"), -state.bestScore(), state.bestStep(), state.skippedSteps(), seconds);
  }

  private void saveBest() throws IOException {
    Path tmp = workDir.resolve("best.tmp");
    Checkpoints.deleteRecursively(tmp);
    model.save(tmp, DType.F32);
    Checkpoints.deleteRecursively(workDir.resolve("best"));
    Files.move(tmp, workDir.resolve("best"), StandardCopyOption.ATOMIC_MOVE);
  }

  private record StepOutcome(float loss, float gradNorm, String nonFiniteIn) {}

  private StepOutcome trainStep(int[] batch, float[][] memories, float learningRate) {
    try (NDManager scope = model.encoder().manager().newSubManager()) {
      float lossValue;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        ParameterStore ps = new ParameterStore(scope, false);
        TeacherForcedBatch b = TeacherForcedBatch.of(scope, train, batch,
            TeacherForcedBatch.memoryOf(scope, train, batch, memories, model.encoder().config().encoder().hiddenSize()), model);
        ReasonDecoder.Output output = model.decoder().forward(
            ps, model.wordTable(), b.inputIds(), b.memory(), b.memoryBias(), b.copyMask(), true);
        NDArray loss = computeLoss(output, b.labels(), b.labelMask(), b.sourceIds(), true);
        lossValue = loss.getFloat();
        if (!Float.isFinite(lossValue)) {
          return new StepOutcome(lossValue, Float.NaN, "loss");
        }
        collector.backward(loss);
      }
      Map<String, NDArray> gradients = Gradients.collect(trainable, scope);
      double norm = Gradients.globalNorm(gradients.values());
      if (!Double.isFinite(norm)) {
        String where = Gradients.firstNonFinite(gradients);
        Gradients.zero(gradients.values());
        return new StepOutcome(lossValue, Float.NaN, where == null ? "gradient norm" : where);
      }
      float applied = Gradients.clipAndStep(trainable, gradients, norm, config.maxGradNorm, optimizer, learningRate);
      Gradients.zero(gradients.values());
      return new StepOutcome(lossValue, applied, null);
    }
  }

  /**
   * The loss of one batch: mean over real target tokens of the cross-entropy of the next-token
   * distribution (the vocabulary distribution, or with copy attention its mixture with the copy
   * distribution), with label smoothing on the vocabulary distribution when training. Override to
   * change it or add terms; runs inside the gradient collector.
   *
   * @param output the decoder's scores ([batch, len, vocab] logits, and with copy attention [batch, len,
   *     src] copy scores and [batch, len] gate logits)
   * @param labels [batch, len] int64, the next token at every position (the end token last)
   * @param mask [batch, len] 1 at real target positions, 0 at padding
   * @param sourceIds [batch, src] int64, the encoder input's token ids (what copy attention points at)
   * @param training whether this is a training step (label smoothing applies) rather than a dev
   *     evaluation
   * @return the mean loss per real target token, a scalar
   */
  protected NDArray computeLoss(
      ReasonDecoder.Output output, NDArray labels, NDArray mask, NDArray sourceIds, boolean training) {
    return TeacherForcedBatch.loss(output, labels, mask, sourceIds, training ? config.labelSmoothing : 0f);
  }

  /**
   * Mean per-token negative log-likelihood on the dev reasons (no dropout, no smoothing).
   *
   * @return the loss per token, or {@code NaN} without dev examples
   */
  public double devLoss() {
    return devLoss(encode(dev, "encoding dev"));
  }

  private double devLoss(float[][] memories) {
    double sum = 0;
    double tokens = 0;
    for (int[] batch : lengthBuckets(dev, config.batchSize)) {
      try (NDManager scope = model.encoder().manager().newSubManager()) {
        ParameterStore ps = new ParameterStore(scope, false);
        TeacherForcedBatch b = TeacherForcedBatch.of(scope, dev, batch,
            TeacherForcedBatch.memoryOf(scope, dev, batch, memories, model.encoder().config().encoder().hiddenSize()), model);
        ReasonDecoder.Output output = model.decoder().forward(
            ps, model.wordTable(), b.inputIds(), b.memory(), b.memoryBias(), b.copyMask(), false);
        float count = b.labelMask().sum().getFloat();
        sum += computeLoss(output, b.labels(), b.labelMask(), b.sourceIds(), false).getFloat() * count;
        tokens += count;
      }
    }
    return tokens == 0 ? Double.NaN : sum / tokens;
  }

  /** Encoder states of every example's input, [length * hidden] each, computed once per run. */
  private float[][] encode(List<ReasonExample> examples, String label) {
    float[][] out = new float[examples.size()][];
    if (examples.isEmpty()) {
      return out;
    }
    int hidden = model.encoder().config().encoder().hiddenSize();
    ProgressBar progress = new ProgressBar(System.err, label, examples.size());
    for (int[] batch : lengthBuckets(examples, 16)) {
      List<InputSequence> inputs = new ArrayList<>();
      for (int i : batch) {
        inputs.add(examples.get(i).input().sequence());
      }
      try (NDManager scope = model.encoder().manager().newSubManager()) {
        PaddedBatch padded = new PaddedBatch(inputs);
        NDList arrays = padded.toNDList(scope);
        NDArray states = model.memory(new ParameterStore(scope, false), arrays);
        long width = states.getShape().get(1);
        float[] flat = states.toFloatArray();
        for (int r = 0; r < batch.length; r++) {
          int length = inputs.get(r).length();
          out[batch[r]] = new float[length * hidden];
          System.arraycopy(flat, (int) (r * width * hidden), out[batch[r]], 0, length * hidden);
        }
      }
      progress.step(batch.length);
    }
    progress.finish();
    return out;
  }

  /**
   * Batches of similar input length (less padding): examples sorted by input length (ties by index),
   * cut into runs of {@code size}; the last may be smaller.
   */
  static List<int[]> lengthBuckets(List<ReasonExample> examples, int size) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < examples.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.<Integer>comparingInt(i -> examples.get(i).input().sequence().length()).thenComparingInt(i -> i));
    List<int[]> batches = new ArrayList<>();
    for (int from = 0; from < order.size(); from += size) {
      batches.add(order.subList(from, Math.min(order.size(), from + size)).stream().mapToInt(Integer::intValue).toArray());
    }
    return batches;
  }

  private int[] scheduled(List<int[]> batches, int step) {
    return scheduled(batches, step, config.seed);
  }

  /** The batch of {@code step}: every epoch visits all batches in an order shuffled by seed and epoch. */
  static int[] scheduled(List<int[]> batches, int step, long seed) {
    int epoch = step / batches.size();
    List<int[]> order = new ArrayList<>(batches);
    Collections.shuffle(order, new Random(seed * 31 + epoch));
    return order.get(step % batches.size());
  }
}
