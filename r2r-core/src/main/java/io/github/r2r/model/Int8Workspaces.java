package io.github.r2r.model;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.IValue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Function;

/**
 * Scratch tensors that {@code int8_encoder.torchscript}'s matrix products write into, kept from one
 * call to the next.
 *
 * <p>Why: a forward of the int8 encoder makes about two hundred tensors of up to a few megabytes
 * (quantised inputs, int32 sums, rescaled outputs). Freed, glibc may hand such memory back to the
 * kernel, and the next allocation then faults its pages in again, zero-filled. In a process that ran
 * nothing but the int8 encoder that was about 8,000 page faults per forward of 4 × 90 tokens, and
 * with these workspaces the same forwards took about 18 % less time, with bit-identical results.
 * How much it wins depends on the allocator's state: reranking DL19 queries with the int8
 * Reranker, whose process faulted far less per forward to begin with, page faults fell from 0.9 to
 * 0.27 million and throughput did not measurably change (docs/performance.md).
 *
 * <p>One workspace serves one call at a time: a call takes a free one or makes a new one and gives
 * it back when done, so there are as many as calls ever ran at once (the Reranker's workers). Each
 * grows to the largest batch, in tokens, it has served: {@link #bytesPerToken} bytes per token (about
 * 21 KB for e5-small-v2's shapes, so 7.7 MB for a batch of 4 × 90 tokens). Thread-safe.
 */
final class Int8Workspaces implements AutoCloseable {
  private final NDManager manager;
  /** Elements per token of tensors [0] and [1] (a product's input) and [2] and [3] (its output). */
  private final long inputWidth;
  private final long outputWidth;
  private final long hidden;
  private final ConcurrentLinkedDeque<Workspace> free = new ConcurrentLinkedDeque<>();
  private final Set<Workspace> all = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** Workspaces for an encoder of {@code config}'s shapes, their tensors on {@code manager}'s device. */
  Int8Workspaces(NDManager manager, BertConfig config) {
    this.manager = manager;
    hidden = config.hiddenSize();
    inputWidth = Math.max(hidden, config.intermediateSize());
    outputWidth = Math.max(3 * hidden, config.intermediateSize());
  }

  /** Bytes a workspace holds per token of the batch it can serve. */
  long bytesPerToken() {
    // float32 + int8 inputs, int32 + float32 outputs, float32 hidden-wide outputs
    return inputWidth * (4 + 1) + outputWidth * (4 + 4) + hidden * 4;
  }

  /**
   * Runs {@code call} with the script's workspace argument, a list of tensors big enough for
   * {@code tokens} tokens (batch × sequence length) that no other call uses meanwhile.
   */
  <T> T with(long tokens, Function<IValue, T> call) {
    checkArgument(tokens > 0, "tokens must be positive, got %s", tokens);
    checkState(!closed, "the int8 encoder is closed");
    Workspace workspace = free.pollFirst();
    if (workspace == null) {
      workspace = new Workspace();
      all.add(workspace);
    }
    try {
      return call.apply(workspace.fitting(tokens));
    } finally {
      free.addFirst(workspace);
    }
  }

  /** Frees every workspace; for when no call runs any more. */
  @Override
  public void close() {
    closed = true;
    all.forEach(Workspace::close);
    all.clear();
    free.clear();
  }

  /** The tensors of one workspace, reallocated larger when a batch does not fit. */
  private final class Workspace {
    private NDManager tensors;
    private IValue list;
    private long capacity;

    IValue fitting(long tokens) {
      if (tokens > capacity) {
        close();
        tensors = manager.newSubManager();
        try {
          PtNDArray[] arrays = {
            zeros(tokens * inputWidth, DataType.FLOAT32),
            zeros(tokens * inputWidth, DataType.INT8),
            zeros(tokens * outputWidth, DataType.INT32),
            zeros(tokens * outputWidth, DataType.FLOAT32),
            zeros(tokens * hidden, DataType.FLOAT32)};
          list = IValue.listFrom(arrays);
        } catch (RuntimeException e) {
          close(); // what was allocated before the failure, at once rather than on the next call
          throw e;
        }
        capacity = tokens;
      }
      return list;
    }

    private PtNDArray zeros(long elements, DataType type) {
      return (PtNDArray) tensors.zeros(new Shape(elements), type);
    }

    /** Frees the tensors, also those of an allocation that failed before {@code list} was made. */
    void close() {
      if (list != null) {
        list.close();
        list = null;
      }
      if (tensors != null) {
        tensors.close();
        tensors = null;
      }
      capacity = 0;
    }
  }
}
