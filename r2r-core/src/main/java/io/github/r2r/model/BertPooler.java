package io.github.r2r.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** HF {@code BertPooler}: tanh(dense([CLS] state)). Stored as {@code bert.pooler.dense.*}. */
public final class BertPooler extends HfBlock {
  private final Parameter weight;
  private final Parameter bias;

  /**
   * A pooler with unset parameters.
   *
   * @param config the architecture (its hidden size)
   */
  public BertPooler(BertConfig config) {
    weight = param("dense.weight", Parameter.Type.WEIGHT, config.hiddenSize(), config.hiddenSize());
    bias = param("dense.bias", Parameter.Type.BIAS, config.hiddenSize());
  }

  /**
   * Pools each row's first ({@code [CLS]}) state.
   *
   * @param ps the parameter store of the call
   * @param hidden the encoder's last hidden state [batch, seq, hidden]
   * @param training whether to record gradients
   * @return the pooled vectors [batch, hidden], each entry in (-1, 1)
   */
  public NDArray pool(ParameterStore ps, NDArray hidden, boolean training) {
    NDArray cls = hidden.get(new NDIndex(":, 0, :"));
    return Linear.linear(cls, value(ps, weight, cls, training), value(ps, bias, cls, training))
        .singletonOrThrow()
        .tanh();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(pool(ps, inputs.singletonOrThrow(), training));
  }
}
