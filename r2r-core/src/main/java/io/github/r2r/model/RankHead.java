package io.github.r2r.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One relevance logit from the pooled {@code [CLS]} vector: HF {@code BertForSequenceClassification}'s
 * {@code classifier} with one label, so a cross-encoder we save loads in transformers unchanged.
 */
public final class RankHead extends HfBlock {
  private final Parameter weight;
  private final Parameter bias;

  /**
   * A head with unset parameters.
   *
   * @param config the architecture (its hidden size)
   */
  public RankHead(BertConfig config) {
    weight = param("weight", Parameter.Type.WEIGHT, 1, config.hiddenSize());
    bias = param("bias", Parameter.Type.BIAS, 1);
  }

  /**
   * Scores pooled vectors.
   *
   * @param ps the parameter store of the call
   * @param pooled the pooler's output [batch, hidden]
   * @param training whether to record gradients
   * @return the relevance logits [batch]
   */
  public NDArray score(ParameterStore ps, NDArray pooled, boolean training) {
    return Linear.linear(pooled, value(ps, weight, pooled, training), value(ps, bias, pooled, training))
        .singletonOrThrow()
        .squeeze(1);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(score(ps, inputs.singletonOrThrow(), training));
  }
}
