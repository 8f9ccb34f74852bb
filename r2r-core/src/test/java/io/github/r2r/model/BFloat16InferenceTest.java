package io.github.r2r.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.r2r.text.InputSequence;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Precision#BF16} ({@link ScriptedEncoder}, a TorchScript module) against the float32 path on
 * pretrained weights. bfloat16 keeps 8 significant bits, so the bounds are loose on single values and
 * tight on what ranking reads: the cosine between a sequence's bfloat16 and float32 embeddings.
 */
class BFloat16InferenceTest extends LowPrecisionInferenceTest {
  @Override
  Precision precision() {
    return Precision.BF16;
  }

  @Override
  double minCosineToFloat32() {
    return 0.9995;
  }

  @Override
  double queryPassageTolerance() {
    return 5e-3;
  }

  @Override
  double crossLogitTolerance() {
    return 0.02; // bfloat16 keeps 2-3 significant digits
  }

  @Test
  void paddingDoesNotLeakIntoShorterSequences() {
    List<InputSequence> batch = texts(low);
    float[][] together = low.embed(batch);
    for (int i = 0; i < batch.size(); i++) {
      float[] alone = low.embed(List.of(batch.get(i)))[0];
      // Alone the sequence has no padding; a leak through the mask would move it far more than this.
      assertTrue(dot(alone, together[i]) > 0.9999, "sequence " + i);
    }
  }
}
