package io.github.r2r.training.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.github.r2r.generate.ReasonDecoder;
import io.github.r2r.generate.ReasonModel;
import io.github.r2r.model.HfBlock;
import io.github.r2r.model.io.DType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reason generation as an {@link AuxiliaryTask}: the decoder's teacher-forced loss on pointwise and
 * comparative reasons ({@link ReasonExamples}), with the encoder states computed with gradients, so
 * that writing the teacher's reasons also trains the ranking encoder (Reason-to-Rank's joint
 * training). {@link ReasonTrainer} trains the same decoder over a frozen encoder instead.
 *
 * <p>Batches are inputs of similar length, visited in an order shuffled per epoch by the seed; the
 * best model directory gets {@code reasons.json} and {@code reasons.safetensors} (fp16).
 */
public final class ReasonTask implements AuxiliaryTask {
  private final ReasonModel reasons;
  private final List<ReasonExample> examples;
  private final List<int[]> batches;
  private final float labelSmoothing;
  private final long seed;
  private final TaskWeight weight;
  private final float learningRateScale;

  /**
   * As the full constructor, the decoder training at the run's learning rate.
   *
   * @param reasons a decoder over the trained ranking model; closed by the caller
   * @param examples the reason examples, not empty
   * @param batchSize examples per step, at least 1
   * @param labelSmoothing share of the target distribution spread over the vocabulary, in [0, 1)
   * @param seed seed of the per-epoch batch order
   * @param weight the task's weight in every step's loss
   * @throws IllegalArgumentException if {@code examples} is null or empty, or a value is out of range
   * @throws NullPointerException if {@code reasons} or {@code weight} is null
   */
  public ReasonTask(
      ReasonModel reasons, List<ReasonExample> examples, int batchSize, float labelSmoothing, long seed,
      TaskWeight weight) {
    this(reasons, examples, batchSize, labelSmoothing, seed, weight, 1f);
  }

  /**
   * @param reasons a decoder over the trained ranking model (e.g. {@link ReasonModel#warmStarted});
   *     closed by the caller
   * @param examples the reason examples, not empty
   * @param batchSize examples per step, at least 1
   * @param labelSmoothing share of the target distribution spread over the vocabulary, in [0, 1)
   * @param seed seed of the per-epoch batch order
   * @param weight the task's weight in every step's loss
   * @param learningRateScale the decoder's learning rate relative to the run's, positive and finite
   * @throws IllegalArgumentException if {@code examples} is null or empty, or a value is out of range
   * @throws NullPointerException if {@code reasons} or {@code weight} is null
   */
  public ReasonTask(
      ReasonModel reasons, List<ReasonExample> examples, int batchSize, float labelSmoothing, long seed,
      TaskWeight weight, float learningRateScale) {
    checkArgument(learningRateScale > 0 && Float.isFinite(learningRateScale),
        "learningRateScale must be positive, got %s", learningRateScale);
    this.learningRateScale = learningRateScale;
    this.reasons = checkNotNull(reasons, "reasons");
    checkArgument(examples != null && !examples.isEmpty(), "no reason examples");
    checkArgument(batchSize >= 1, "batchSize must be positive, got %s", batchSize);
    checkArgument(labelSmoothing >= 0 && labelSmoothing < 1, "labelSmoothing must be in [0, 1), got %s", labelSmoothing);
    this.examples = List.copyOf(examples);
    this.batches = ReasonTrainer.lengthBuckets(this.examples, batchSize);
    this.labelSmoothing = labelSmoothing;
    this.seed = seed;
    this.weight = checkNotNull(weight, "weight");
  }

  @Override
  public String name() {
    return "reasons";
  }

  @Override
  public TaskWeight weight() {
    return weight;
  }

  @Override
  public float learningRateScale() {
    return learningRateScale;
  }

  @Override
  public Map<String, HfBlock.WeightSlot> parameters() {
    // The word embeddings are tied to the encoder's and train with it; the rest is the decoder's own.
    return reasons.decoder().weightSlots();
  }

  @Override
  public NDArray loss(ParameterStore ps, NDManager scope, int step) {
    int[] rows = ReasonTrainer.scheduled(batches, step, seed);
    NDList inputs = TeacherForcedBatch.encoderInputs(examples, rows).toNDList(scope);
    NDArray memory = reasons.encoder().hiddenStates(ps, inputs, true);
    TeacherForcedBatch b = TeacherForcedBatch.of(scope, examples, rows, memory, reasons);
    ReasonDecoder.Output output = reasons.decoder().forward(
        ps, reasons.wordTable(), b.inputIds(), b.memory(), b.memoryBias(), b.copyMask(), true);
    return TeacherForcedBatch.loss(output, b.labels(), b.labelMask(), b.sourceIds(), labelSmoothing);
  }

  @Override
  public void save(Path modelDir) throws IOException {
    reasons.save(modelDir, DType.F16);
  }
}
