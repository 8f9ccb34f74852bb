package io.github.r2r.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.github.r2r.model.HfBlock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A second objective trained together with the ranking loss by {@link DistillationTrainer}
 * (multi-task training: Reason-to-Rank trains ranking and explanation jointly). The task computes its
 * loss through the ranking model's encoder with gradients, so it shapes the encoder as the ranking
 * loss does; its own parameters (a decoder, a head) train alongside.
 *
 * <p>The trainer adds {@code weight × loss} to the step's ranking loss (see {@link TaskWeight}),
 * optimises, clips and checkpoints the task's parameters with the encoder's, resumes them after a
 * crash, and writes the task's trained parts next to the best model. Implementations:
 * {@link ReasonTask} (pointwise and comparative reasons), {@link EvidenceTask} (evidence sentences).
 */
public interface AuxiliaryTask {
  /**
   * {@return a short unique name ({@code reasons}, {@code evidence}): the loss component and checkpoint
   * key; not blank}
   */
  String name();

  /** {@return how the task's loss is weighted in the total} */
  TaskWeight weight();

  /**
   * The task's own parameters train at the run's learning rate times this (default 1), for example
   * faster for a task that starts untrained. (For the shipped decoder and head, 10 × did not help in
   * a 60-step run: docs/student.md.)
   *
   * @return the multiplier, positive
   */
  default float learningRateScale() {
    return 1f;
  }

  /**
   * {@return the task's own trainable parameters, by name (checkpointed under {@code
   * task.<name>.<key>})}
   */
  Map<String, HfBlock.WeightSlot> parameters();

  /**
   * The task's loss on its batch for {@code step} (a pure function of the step, so that a resumed run
   * sees the same batches). Runs inside the trainer's gradient collector, on the step's scope.
   *
   * @param ps the step's parameter store, through which the encoder must be run
   * @param scope the step's native-memory scope; the result and temporaries belong on it
   * @param step the 0-based step
   * @return the unweighted loss, a scalar
   */
  NDArray loss(ParameterStore ps, NDManager scope, int step);

  /**
   * Writes what the task trained into a model directory (the best checkpoint's).
   *
   * @param modelDir the model directory
   * @throws IOException if the files cannot be written
   */
  void save(Path modelDir) throws IOException;
}
