package io.github.r2r.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.List;

/**
 * What incremental decoding keeps between steps: per layer the self-attention keys and values of every
 * position decoded so far and the cross-attention keys and values of the encoder states (computed once),
 * plus the encoder padding bias (and, with copy attention, the copy keys and mask). Rows are hypotheses (inputs, or beams of one input); {@link #select}
 * reorders them when beam search keeps some beams and drops others.
 *
 * <p>Not thread-safe; lives inside one generation call's memory scope.
 */
public final class DecoderState {
  private final List<LayerCache> layers;
  private NDArray memoryBias;
  private NDArray copyKeys;
  private NDArray copyMask;
  private int length;

  DecoderState(List<LayerCache> layers, NDArray memoryBias, NDArray copyKeys, NDArray copyMask) {
    this.layers = layers;
    this.memoryBias = memoryBias;
    this.copyKeys = copyKeys;
    this.copyMask = copyMask;
  }

  NDArray copyKeys() {
    return copyKeys;
  }

  NDArray copyMask() {
    return copyMask;
  }

  /** Positions decoded so far (the position of the next token). */
  public int length() {
    return length;
  }

  void advance() {
    length++;
  }

  List<LayerCache> layers() {
    return layers;
  }

  NDArray memoryBias() {
    return memoryBias;
  }

  /**
   * Keeps, in order, the rows {@code rows} (int64 [n], repeats allowed: a beam can continue in several
   * ways), so row {@code i} afterwards is row {@code rows[i]} before.
   */
  public void select(NDArray rows) {
    select(rows, false);
  }

  /**
   * {@link #select(NDArray)}, told whether every row keeps its input: row {@code i} afterwards belongs to
   * the same input as row {@code i} before. Then only the decoded positions' keys and values are
   * reordered: everything computed from the encoder states (cross-attention keys and values, padding
   * bias, copy keys and mask) is the same in all rows of one input, so it already is what the
   * reordering would give. Beam search keeps its inputs at most steps (it changes them when an input's
   * beams first fan out and when an input finishes), and skipping those copies saves most of the
   * reordering's time.
   */
  public void select(NDArray rows, boolean sameInputs) {
    if (!sameInputs) {
      memoryBias = pick(memoryBias, rows);
      copyKeys = pick(copyKeys, rows);
      copyMask = pick(copyMask, rows);
    }
    for (LayerCache layer : layers) {
      layer.select(rows, sameInputs);
    }
  }

  private static NDArray pick(NDArray array, NDArray rows) {
    return array == null ? null : array.get(new NDIndex("{}", rows));
  }

  /** One layer's cached keys and values, [rows, heads, positions, headSize]. */
  static final class LayerCache {
    private NDArray keys;
    private NDArray values;
    private NDArray memoryKeys;
    private NDArray memoryValues;

    LayerCache(NDArray memoryKeys, NDArray memoryValues) {
      this.memoryKeys = memoryKeys;
      this.memoryValues = memoryValues;
    }

    void append(NDArray newKeys, NDArray newValues) {
      keys = keys == null ? newKeys : keys.concat(newKeys, 2);
      values = values == null ? newValues : values.concat(newValues, 2);
    }

    NDArray keys() {
      return keys;
    }

    NDArray values() {
      return values;
    }

    NDArray memoryKeys() {
      return memoryKeys;
    }

    NDArray memoryValues() {
      return memoryValues;
    }

    void select(NDArray rows, boolean sameInputs) {
      keys = pick(keys, rows);
      values = pick(values, rows);
      if (!sameInputs) {
        memoryKeys = pick(memoryKeys, rows);
        memoryValues = pick(memoryValues, rows);
      }
    }
  }
}
