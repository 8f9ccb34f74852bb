package io.github.r2r.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import io.github.r2r.text.InputSequence;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Precision#INT8} ({@link ScriptedEncoder} with {@code int8_encoder.torchscript}) against the
 * float32 path on pretrained weights, and its weight conversion against hand-computed values. int8
 * keeps about 2 significant digits per product input, so the bounds are on what ranking reads: the
 * cosine between a sequence's int8 and float32 embeddings, and query-passage cosines.
 * Measured when written: cosines to float32 ≥ 0.9988, alone against batched ≥ 0.9990, query-passage
 * cosines within 0.0038.
 */
class Int8InferenceTest extends LowPrecisionInferenceTest {
  @Override
  Precision precision() {
    return Precision.INT8;
  }

  @Override
  double minCosineToFloat32() {
    return 0.998;
  }

  @Override
  double queryPassageTolerance() {
    return 1e-2;
  }

  @Override
  double crossLogitTolerance() {
    return 0.05;
  }

  @Test
  void batchingMovesAnEmbeddingByInt8RoundingOnly() {
    // Alone the sequence has no padding; attention then sums in another order, and int8 rounding of
    // the next product can turn that float-rounding difference into one quantisation step.
    List<InputSequence> batch = texts(low);
    float[][] together = low.embed(batch);
    for (int i = 0; i < batch.size(); i++) {
      float[] alone = low.embed(List.of(batch.get(i)))[0];
      double cosine = dot(alone, together[i]);
      assertTrue(cosine > 0.998, "sequence " + i + ": cosine " + cosine);
    }
  }

  @Test
  void neighboursOfTheSameLengthDoNotMoveAnEmbeddingAtAll() {
    // No padding, same shapes: each token is quantised with its own scale, so what the other
    // sequences of the batch contain cannot matter (one scale per batch would let it).
    List<InputSequence> batch = texts(low);
    InputSequence first = batch.get(1);
    InputSequence copy = new InputSequence(first.ids().clone(), first.typeIds().clone());
    long[] otherIds = first.ids().clone();
    for (int t = 1; t < otherIds.length - 1; t++) {
      otherIds[t] = 2000 + t; // another text of the same length
    }
    InputSequence other = new InputSequence(otherIds, first.typeIds().clone());
    assertArrayEquals(low.embed(List.of(first, copy))[0], low.embed(List.of(first, other))[0]);
  }

  @Test
  void whatALargerBatchLeftInTheWorkspaceDoesNotReachTheNextOne() {
    // The products write into scratch tensors kept between calls (Int8Workspaces); a batch that
    // fits in what a longer one used must read none of its leftovers.
    List<InputSequence> batch = texts(low);
    float[][] before = low.embed(List.of(batch.get(0), batch.get(1)));
    low.embed(batch);
    float[][] after = low.embed(List.of(batch.get(0), batch.get(1)));
    for (int i = 0; i < before.length; i++) {
      assertArrayEquals(before[i], after[i], "sequence " + i);
    }
  }

  @Test
  void weightsAreQuantisedPerOutputFeatureAndTransposed() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        ScriptedModule toInt8 = ScriptedModule.load(manager, "to_int8.torchscript", "ToInt8")) {
      // rows are output features: row 0's largest magnitude is 1, row 1's is 2; each maps to 127
      NDArray weight = manager.create(new float[][] {{1f, -0.3f, 0.25f}, {0.25f, 2f, -2f}});
      NDArray bias = manager.create(new float[] {0.5f, -1f});
      try (IValue tensors = IValue.listFrom((PtNDArray) weight, (PtNDArray) bias);
          IValue convert = IValue.listFrom(true, false);
          IValue out = toInt8.forward(tensors, convert)) {
        NDArray[] converted = out.toTensorArray((PtNDManager) manager);
        assertEquals(3, converted.length, "weight -> int8 weight and scales; bias passed through");
        // -0.3 * 127 = -38.1, 0.25 * 127 = 31.75 and 0.25 * 127 / 2 = 15.875 round to -38, 32 and 16
        assertArrayEquals(new byte[] {127, 16, -38, 127, 32, -127}, converted[0].toByteArray());
        assertArrayEquals(new long[] {3, 2}, converted[0].getShape().getShape());
        assertArrayEquals(new float[] {1f / 127, 2f / 127}, converted[1].toFloatArray(), 1e-9f);
        assertArrayEquals(new float[] {0.5f, -1f}, converted[2].toFloatArray());
      }
    }
  }

}
