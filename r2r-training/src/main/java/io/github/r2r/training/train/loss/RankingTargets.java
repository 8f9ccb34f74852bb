package io.github.r2r.training.train.loss;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.common.collect.Maps;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The supervision available for one batch of candidate lists, all arrays of shape {@code [lists,
 * listSize]}: a validity mask (1 = real entry, 0 = padding) and any of teacher ranks (1 = best),
 * graded labels and teacher scores.
 *
 * <p>Instances are immutable once built: the arrays are validated and converted to {@code FLOAT32}
 * at build time and never modified afterwards; callers must not modify them either. Values at
 * padded positions are ignored by every check and every loss, so padding may hold anything. Because
 * DJL attaches the result of an operation to its first operand's manager, build the targets on the
 * same short-lived manager as the scores they supervise.
 */
public final class RankingTargets {
  private final NDArray validityMask;
  private final Map<TargetSource, NDArray> sources;

  private RankingTargets(NDArray validityMask, Map<TargetSource, NDArray> sources) {
    this.validityMask = validityMask;
    this.sources = sources;
  }

  /**
   * Starts targets for lists whose real entries are marked by {@code validityMask}, a 2-D array of
   * zeros and ones (any numeric type).
   *
   * @param validityMask the mask, {@code [lists, listSize]}; checked by {@link Builder#build}
   * @return a builder carrying no targets yet
   * @throws NullPointerException if {@code validityMask} is null
   */
  public static Builder builder(NDArray validityMask) {
    return new Builder(validityMask);
  }

  /** {@return the {@code FLOAT32} mask, 1 for real entries and 0 for padding} */
  public NDArray validityMask() {
    return validityMask;
  }

  /** The mask as a boolean array, for selecting with {@link NDArrays#where}. */
  NDArray validEntries() {
    return validityMask.gt(0.5f);
  }

  /** {@return the shape of the mask and of every target, {@code [lists, listSize]}} */
  public Shape shape() {
    return validityMask.getShape();
  }

  /** {@return the {@code FLOAT32} teacher ranks (1 = best), if this batch carries them} */
  public Optional<NDArray> teacherRanks() {
    return get(TargetSource.TEACHER_RANKS);
  }

  /** {@return the {@code FLOAT32} graded labels (higher is better), if this batch carries them} */
  public Optional<NDArray> gradedLabels() {
    return get(TargetSource.GRADED_LABELS);
  }

  /** {@return the {@code FLOAT32} teacher scores (higher is better), if this batch carries them} */
  public Optional<NDArray> teacherScores() {
    return get(TargetSource.TEACHER_SCORES);
  }

  /**
   * The targets of {@code source}, if this batch carries them.
   *
   * @param source the kind of targets
   * @return the {@code FLOAT32} targets, or empty if this batch does not carry them
   */
  public Optional<NDArray> get(TargetSource source) {
    return Optional.ofNullable(sources.get(source));
  }

  /**
   * The targets of {@code source}, for a loss that cannot do without them.
   *
   * @param source the kind of targets the loss needs
   * @param lossName the loss's name, for the message
   * @return the {@code FLOAT32} targets
   * @throws IllegalArgumentException naming {@code lossName}, the missing source and the sources
   *     that are present
   */
  public NDArray require(TargetSource source, String lossName) {
    NDArray values = sources.get(source);
    checkArgument(
        values != null,
        "%s needs %s, but these targets carry only %s",
        lossName,
        source.description(),
        describePresentSources());
    return values;
  }

  /**
   * Checks that {@code scores} can be scored against these targets: {@code FLOAT32} and the same
   * shape as the mask.
   *
   * @param scores the student scores
   * @param lossName the loss's name, for the messages
   * @throws NullPointerException if {@code scores} is null
   * @throws IllegalArgumentException if {@code scores} is not {@code FLOAT32} or its shape differs from
   *     the mask's
   */
  public void checkScores(NDArray scores, String lossName) {
    checkNotNull(scores, "scores");
    checkArgument(
        scores.getDataType() == DataType.FLOAT32,
        "%s needs FLOAT32 scores, got %s",
        lossName,
        scores.getDataType());
    checkArgument(
        scores.getShape().equals(shape()),
        "%s: scores shape %s does not match the targets' shape %s",
        lossName,
        scores.getShape(),
        shape());
  }

  private String describePresentSources() {
    if (sources.isEmpty()) {
      return "the validity mask";
    }
    List<String> present = new ArrayList<>();
    for (TargetSource source : sources.keySet()) {
      present.add(source.description());
    }
    return String.join(", ", present);
  }

  /** Collects the supervision of one batch; {@link #build} validates it. */
  public static final class Builder {
    private final NDArray validityMask;
    private final Map<TargetSource, NDArray> sources = new EnumMap<>(TargetSource.class);

    private Builder(NDArray validityMask) {
      this.validityMask = checkNotNull(validityMask, "validityMask");
    }

    /**
     * Teacher ranks, 1 = best; every real entry must have a rank of at least 1.
     *
     * @param ranks the ranks, {@code [lists, listSize]}, any numeric type
     * @return this builder
     * @throws NullPointerException if {@code ranks} is null
     * @throws IllegalArgumentException if teacher ranks were already set
     */
    public Builder teacherRanks(NDArray ranks) {
      return put(TargetSource.TEACHER_RANKS, ranks);
    }

    /**
     * Graded relevance labels (e.g. TREC 0..3, or 0/1); higher is better.
     *
     * @param labels the labels, {@code [lists, listSize]}, any numeric type
     * @return this builder
     * @throws NullPointerException if {@code labels} is null
     * @throws IllegalArgumentException if graded labels were already set
     */
    public Builder gradedLabels(NDArray labels) {
      return put(TargetSource.GRADED_LABELS, labels);
    }

    /**
     * Real-valued teacher scores; higher is better.
     *
     * @param scores the scores, {@code [lists, listSize]}, any numeric type
     * @return this builder
     * @throws NullPointerException if {@code scores} is null
     * @throws IllegalArgumentException if teacher scores were already set
     */
    public Builder teacherScores(NDArray scores) {
      return put(TargetSource.TEACHER_SCORES, scores);
    }

    private Builder put(TargetSource source, NDArray values) {
      checkNotNull(values, source.description());
      checkArgument(!sources.containsKey(source), "%s were already set", source.description());
      sources.put(source, values);
      return this;
    }

    /**
     * Validates and freezes the targets.
     *
     * @return the targets, converted to {@code FLOAT32}
     * @throws IllegalArgumentException if the mask is not 2-D or holds values other than 0 and 1, a
     *     target's shape differs from the mask's, a real entry holds a non-finite target, or a real
     *     entry has a teacher rank below 1
     */
    public RankingTargets build() {
      Shape shape = validityMask.getShape();
      checkArgument(
          shape.dimension() == 2, "validity mask must be [lists, listSize], got shape %s", shape);
      NDArray mask = validityMask.toType(DataType.FLOAT32, false);
      checkArgument(
          !mask.neq(0f).logicalAnd(mask.neq(1f)).any().getBoolean(),
          "validity mask must hold only 0 and 1");
      NDArray valid = mask.gt(0.5f);
      Map<TargetSource, NDArray> frozen = new EnumMap<>(TargetSource.class);
      for (Map.Entry<TargetSource, NDArray> entry : sources.entrySet()) {
        TargetSource source = entry.getKey();
        NDArray values = entry.getValue();
        checkArgument(
            values.getShape().equals(shape),
            "%s shape %s does not match the validity mask's shape %s",
            source.description(),
            values.getShape(),
            shape);
        NDArray floats = values.toType(DataType.FLOAT32, false);
        NDArray real = NDArrays.where(valid, floats, mask.zerosLike());
        checkArgument(
            !real.isNaN().logicalOr(real.isInfinite()).any().getBoolean(),
            "%s must be finite at every real entry",
            source.description());
        if (source == TargetSource.TEACHER_RANKS) {
          checkArgument(
              !floats.lt(1f).logicalAnd(valid).any().getBoolean(),
              "teacher ranks must be at least 1 (1 = best) at every real entry");
        }
        frozen.put(source, floats);
      }
      return new RankingTargets(mask, Maps.immutableEnumMap(frozen));
    }
  }
}
