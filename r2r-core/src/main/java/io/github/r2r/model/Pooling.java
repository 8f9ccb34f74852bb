package io.github.r2r.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/** How a sequence of token states becomes one vector. */
public enum Pooling {
  /** Mean of the states of real (unmasked) tokens: all-MiniLM, e5. */
  MEAN {
    @Override
    public NDArray pool(NDArray hidden, NDArray attentionMask) {
      NDArray mask = attentionMask.toType(DataType.FLOAT32, false).expandDims(2);
      NDArray summed = hidden.mul(mask).sum(new int[] {1});
      return summed.div(mask.sum(new int[] {1}).maximum(1e-9f));
    }
  },
  /** The state of the first token ({@code [CLS]}): bge. */
  CLS {
    @Override
    public NDArray pool(NDArray hidden, NDArray attentionMask) {
      return hidden.get(new NDIndex(":, 0, :"));
    }
  };

  /**
   * Pools each row's token states into one vector (not normalised).
   *
   * @param hidden [batch, seq, hidden]
   * @param attentionMask [batch, seq] 0/1
   * @return [batch, hidden]
   */
  public abstract NDArray pool(NDArray hidden, NDArray attentionMask);
}
