package io.github.r2r.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What incremental decoding keeps between steps: per layer the self-attention keys and values of every
 * position decoded so far and the cross-attention keys and values of the encoder states (computed once),
 * plus the encoder padding bias (and, with copy attention, the copy keys and mask). Rows are hypotheses
 * (inputs, or beams of one input); {@link #select} reorders them when beam search keeps some beams and
 * drops others.
 *
 * <p>What comes from the encoder states is the same for every row of one input, so it is kept once per
 * <em>group</em>: consecutive rows of one input, {@link #rowsPerGroup()} rows per group (the beams of
 * an input, which beam search keeps together). Attention over the encoder states then reads each
 * input's keys and values once for all its beams instead of once per beam. When the rows do not form
 * equal runs of distinct inputs (a beam count that differs between inputs, or an input's rows apart),
 * every row is its own group.
 *
 * <p>The state owns its arrays, those {@link ReasonDecoder#start} hands it included: an array that a
 * step or {@link #select} replaces is closed at once, since the call's memory scope would otherwise
 * keep every step's copy of the growing key/value cache until the call ends (memory growing with the
 * square of the tokens decoded). What a step or {@link #select} makes for the state to keep is
 * unregistered from the {@link NDScope} it runs in, so that a caller can close everything else the
 * step made by running it in a scope of its own.
 *
 * <p>Not thread-safe; lives inside one generation call's memory scope.
 */
public final class DecoderState {
  private final List<LayerCache> layers;
  /** [groups, 1, 1, src] */
  private NDArray memoryBias;
  /** [groups, src, hidden], or null without copy attention */
  private NDArray copyKeys;
  /** [groups, 1, src], or null without copy attention */
  private NDArray copyMask;
  /** The input each group belongs to (the row order of {@link ReasonDecoder#start}). */
  private int[] groupInputs;
  private int rowsPerGroup = 1;
  private int length;

  DecoderState(List<LayerCache> layers, NDArray memoryBias, NDArray copyKeys, NDArray copyMask) {
    this.layers = layers;
    this.memoryBias = memoryBias;
    this.copyKeys = copyKeys;
    this.copyMask = copyMask;
    groupInputs = new int[(int) memoryBias.getShape().get(0)];
    for (int i = 0; i < groupInputs.length; i++) {
      groupInputs[i] = i;
    }
  }

  NDArray copyKeys() {
    return copyKeys;
  }

  NDArray copyMask() {
    return copyMask;
  }

  /** {@return the positions decoded so far (the position of the next token)} */
  public int length() {
    return length;
  }

  /** {@return how many consecutive rows share one group's encoder-side tensors (see the class comment)} */
  public int rowsPerGroup() {
    return rowsPerGroup;
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
   *
   * @param rows int64 [n]: indices of current rows
   */
  public void select(NDArray rows) {
    long[] picked = rows.toLongArray();
    int[] rowInputs = new int[picked.length];
    for (int i = 0; i < picked.length; i++) {
      rowInputs[i] = groupInputs[(int) (picked[i] / rowsPerGroup)];
    }
    int runLength = uniformRunLength(rowInputs);
    int[] nextGroupInputs = new int[rowInputs.length / runLength];
    for (int g = 0; g < nextGroupInputs.length; g++) {
      nextGroupInputs[g] = rowInputs[g * runLength];
    }
    // Each new group takes an old group of its input; all old groups of one input hold the same values.
    Map<Integer, Integer> groupOfInput = new HashMap<>();
    for (int g = groupInputs.length - 1; g >= 0; g--) {
      groupOfInput.put(groupInputs[g], g);
    }
    long[] source = new long[nextGroupInputs.length];
    boolean unchanged = source.length == groupInputs.length;
    for (int g = 0; g < source.length; g++) {
      source[g] = groupOfInput.get(nextGroupInputs[g]);
      unchanged &= source[g] == g;
    }
    if (!unchanged) {
      try (NDArray groups = rows.getManager().create(source, new Shape(source.length))) {
        memoryBias = pick(memoryBias, groups);
        copyKeys = pick(copyKeys, groups);
        copyMask = pick(copyMask, groups);
        for (LayerCache layer : layers) {
          layer.selectGroups(groups);
        }
      }
    }
    for (LayerCache layer : layers) {
      layer.selectRows(rows);
    }
    groupInputs = nextGroupInputs;
    rowsPerGroup = runLength;
  }

  /**
   * The length of the runs of equal inputs when the rows are equal-length runs of distinct inputs (the
   * beams of each input together, as many for each), else 1 (every row its own group).
   */
  static int uniformRunLength(int[] rowInputs) {
    int first = 1;
    while (first < rowInputs.length && rowInputs[first] == rowInputs[0]) {
      first++;
    }
    if (rowInputs.length % first != 0) {
      return 1;
    }
    Set<Integer> seen = new HashSet<>();
    for (int start = 0; start < rowInputs.length; start += first) {
      if (!seen.add(rowInputs[start])) {
        return 1;
      }
      for (int i = start; i < start + first; i++) {
        if (rowInputs[i] != rowInputs[start]) {
          return 1;
        }
      }
    }
    return first;
  }

  /** The rows {@code rows} of {@code array}, which it replaces (see {@link #replace}); null for null. */
  private static NDArray pick(NDArray array, NDArray rows) {
    return array == null ? null : replace(array, array.get(new NDIndex("{}", rows)));
  }

  /**
   * Returns {@code replacement}, kept past the {@link NDScope} it was made in, and closes {@code
   * replaced} (null: nothing to close). Closing is safe even where the replacement is a view of the
   * replaced array: a native tensor's memory lives while any view of it does.
   */
  private static NDArray replace(NDArray replaced, NDArray replacement) {
    NDScope.unregister(replacement);
    if (replaced != null) {
      replaced.close();
    }
    return replacement;
  }

  /**
   * One layer's cached keys and values: of the decoded positions per row, [rows, heads, positions,
   * headSize]; of the encoder states per group, [groups, heads, src, headSize].
   */
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
      keys = replace(keys, keys == null ? newKeys : keys.concat(newKeys, 2));
      values = replace(values, values == null ? newValues : values.concat(newValues, 2));
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

    void selectRows(NDArray rows) {
      keys = pick(keys, rows);
      values = pick(values, rows);
    }

    void selectGroups(NDArray groups) {
      memoryKeys = pick(memoryKeys, groups);
      memoryValues = pick(memoryValues, groups);
    }
  }
}
