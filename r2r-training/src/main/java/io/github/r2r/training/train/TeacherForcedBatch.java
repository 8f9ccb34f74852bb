package io.github.r2r.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.github.r2r.generate.ReasonDecoder;
import io.github.r2r.generate.ReasonInput;
import io.github.r2r.generate.ReasonModel;
import io.github.r2r.model.ScalarOps;
import io.github.r2r.text.InputSequence;
import io.github.r2r.text.PaddedBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * Decoder inputs and targets of some {@link ReasonExample}s for teacher forcing, padded, and the
 * loss of a decoder's output on them. Shared by {@link ReasonTrainer} (encoder states computed once,
 * frozen) and {@link ReasonTask} (encoder states computed with gradients in a multi-task step).
 *
 * @param memory [rows, source, hidden] encoder states of the inputs
 * @param memoryBias additive attention bias that hides the inputs' padding
 * @param copyMask where copy attention may point, or null for a decoder without copies
 * @param sourceIds [rows, source] the inputs' token ids
 * @param inputIds [rows, length] the start token, then the target
 * @param labels [rows, length] the target, then the end token
 * @param labelMask [rows, length] 1 at real target positions
 */
record TeacherForcedBatch(
    NDArray memory,
    NDArray memoryBias,
    NDArray copyMask,
    NDArray sourceIds,
    NDArray inputIds,
    NDArray labels,
    NDArray labelMask) {

  /** The encoder inputs of {@code rows}, padded to the longest: [ids, typeIds, mask]. */
  static PaddedBatch encoderInputs(List<ReasonExample> examples, int[] rows) {
    List<InputSequence> inputs = new ArrayList<>(rows.length);
    for (int r : rows) {
      inputs.add(examples.get(r).input().sequence());
    }
    return new PaddedBatch(inputs);
  }

  /**
   * @param memory [rows, source, hidden] encoder states of {@link #encoderInputs} (source = the longest
   *     input of the rows)
   */
  static TeacherForcedBatch of(
      NDManager scope, List<ReasonExample> examples, int[] rows, NDArray memory, ReasonModel model) {
    long sep = model.encoder().tokenizer().sepId();
    int source = 0;
    int length = 0;
    for (int r : rows) {
      source = Math.max(source, examples.get(r).input().sequence().length());
      length = Math.max(length, examples.get(r).targetLength() + 1);
    }
    int n = rows.length;
    float[] sourceMask = new float[n * source];
    long[] sourceIds = new long[n * source];
    List<ReasonInput> sources = new ArrayList<>();
    long[] inputs = new long[n * length];
    long[] labels = new long[n * length];
    float[] labelMask = new float[n * length];
    for (int b = 0; b < n; b++) {
      ReasonExample example = examples.get(rows[b]);
      int len = example.input().sequence().length();
      for (int j = 0; j < len; j++) {
        sourceMask[b * source + j] = 1;
      }
      System.arraycopy(example.input().sequence().ids(), 0, sourceIds, b * source, len);
      sources.add(example.input());
      int targetLength = example.targetLength();
      // The start token says which kind of reason to write (see ReasonKind); the labels are the
      // inputs shifted by one, ending with the end token.
      inputs[b * length] = model.startToken(example.kind());
      example.copyTargetInto(inputs, b * length + 1);
      example.copyTargetInto(labels, b * length);
      for (int j = 0; j <= targetLength; j++) {
        labelMask[b * length + j] = 1;
      }
      labels[b * length + targetLength] = sep;
    }
    NDArray mask = scope.create(sourceMask, new Shape(n, source));
    return new TeacherForcedBatch(
        memory,
        ReasonDecoder.memoryBias(mask),
        model.decoder().copies() ? model.copyMask(scope, sources, source) : null,
        scope.create(sourceIds, new Shape(n, source)),
        scope.create(inputs, new Shape(n, length)),
        scope.create(labels, new Shape(n, length)),
        scope.create(labelMask, new Shape(n, length)));
  }

  /**
   * Precomputed encoder states ([length * hidden] per example) of {@code rows} as one padded
   * [rows, source, hidden] array.
   */
  static NDArray memoryOf(NDManager scope, List<ReasonExample> examples, int[] rows, float[][] memories, int hidden) {
    int source = 0;
    for (int r : rows) {
      source = Math.max(source, examples.get(r).input().sequence().length());
    }
    float[] memory = new float[rows.length * source * hidden];
    for (int b = 0; b < rows.length; b++) {
      int len = examples.get(rows[b]).input().sequence().length();
      System.arraycopy(memories[rows[b]], 0, memory, b * source * hidden, len * hidden);
    }
    return scope.create(memory, new Shape(rows.length, source, hidden));
  }

  /**
   * Mean over real target tokens of the cross-entropy of the next-token distribution (the vocabulary
   * distribution, or with copy attention its mixture with the copy distribution), with label smoothing
   * on the vocabulary distribution.
   *
   * @param output the decoder's scores ([batch, len, vocab] logits, and with copy attention [batch, len,
   *     src] copy scores and [batch, len] gate logits)
   * @param labels [batch, len] int64, the next token at every position (the end token last)
   * @param mask [batch, len] 1 at real target positions, 0 at padding
   * @param sourceIds [batch, src] int64, the encoder input's token ids (what copy attention points at)
   * @param smoothing label smoothing, 0 for none
   */
  static NDArray loss(
      ReasonDecoder.Output output, NDArray labels, NDArray mask, NDArray sourceIds, float smoothing) {
    NDArray vocabLogProbs = output.logits().logSoftmax(-1);
    NDArray labelLogProb = vocabLogProbs.gather(labels.expandDims(-1), -1).squeeze(-1);
    if (output.copyScores() != null) {
      // log p(label) = log(g p_vocab(label) + (1 - g) sum_s a_s [src_s == label]), in log space.
      NDArray copyLogProbs = output.copyScores().logSoftmax(-1);
      NDArray matches = sourceIds.expandDims(1).eq(labels.expandDims(-1)).toType(DataType.FLOAT32, false);
      NDArray copyLogProb = logSumExp(copyLogProbs.add(matches.sub(1f).mul(1e4f)), -1);
      NDArray gate = output.gateLogits();
      NDArray logGenerate = Activation.softPlus(gate.neg()).neg();
      NDArray logCopy = Activation.softPlus(gate).neg();
      labelLogProb = logAddExp(logGenerate.add(labelLogProb), logCopy.add(copyLogProb));
    }
    NDArray perToken = labelLogProb.neg();
    if (smoothing > 0) {
      NDArray uniform = vocabLogProbs.mean(new int[] {-1}).neg();
      perToken = ScalarOps.times(perToken, 1 - smoothing).add(ScalarOps.times(uniform, smoothing));
    }
    return perToken.mul(mask).sum().div(mask.sum());
  }

  private static NDArray logSumExp(NDArray x, int axis) {
    NDArray max = x.max(new int[] {axis}, true);
    return x.sub(max).exp().sum(new int[] {axis}).log().add(max.squeeze(axis));
  }

  private static NDArray logAddExp(NDArray a, NDArray b) {
    NDArray max = a.maximum(b);
    return a.sub(max).exp().add(b.sub(max).exp()).log().add(max);
  }
}
