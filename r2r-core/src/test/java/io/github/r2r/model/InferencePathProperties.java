package io.github.r2r.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.github.r2r.text.InputSequence;
import io.github.r2r.text.PaddedBatch;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** {@link BertEncoder#infer} against {@link BertEncoder#encode} on random batches (pretrained MiniLM). */
class InferencePathProperties {
  private static final double TOLERANCE = 1e-4;
  private static RankingModel model;

  @BeforeContainer
  static void load() throws Exception {
    model = RankingModel.pretrained(PretrainedEncoder.ALL_MINILM_L6_V2, Device.cpu());
  }

  @AfterContainer
  static void close() {
    model.close();
  }

  /** Random token rows, some pairs with token types, in random batches: hidden states agree. */
  @Property(tries = 30)
  void hiddenStatesOfRandomBatchesMatchTheReference(@ForAll("batches") List<InputSequence> batch) {
    PaddedBatch padded = new PaddedBatch(batch);
    float[] fast;
    float[] reference;
    try (NDManager scope = model.manager().newSubManager()) {
      NDList inputs = padded.toNDList(scope);
      ParameterStore ps = new ParameterStore(scope, false);
      BertEncoder encoder = model.encoder();
      fast = encoder.infer(ps, inputs.get(0), inputs.get(1), inputs.get(2), padded.padded()).toFloatArray();
      reference = model.hiddenStates(ps, inputs, false).toFloatArray();
    }
    int hidden = model.config().encoder().hiddenSize();
    for (int r = 0; r < batch.size(); r++) {
      for (int t = 0; t < batch.get(r).length(); t++) {
        for (int k = 0; k < hidden; k++) {
          int i = (r * padded.width() + t) * hidden + k;
          assertEquals(reference[i], fast[i], TOLERANCE, "row " + r + " token " + t);
        }
      }
    }
  }

  @Provide
  Arbitrary<List<InputSequence>> batches() {
    Arbitrary<InputSequence> sequence =
        Combinators.combine(
                Arbitraries.longs().between(999, 29_999).array(long[].class).ofMinSize(1).ofMaxSize(60),
                Arbitraries.integers().between(0, 60))
            .as(
                (ids, split) -> {
                  long[] types = new long[ids.length];
                  for (int i = Math.min(split, ids.length); i < ids.length; i++) {
                    types[i] = 1;
                  }
                  return new InputSequence(ids, types);
                });
    return sequence.list().ofMinSize(1).ofMaxSize(5);
  }

}
