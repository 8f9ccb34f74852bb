package io.github.r2r.text;

import static com.google.common.base.Preconditions.checkArgument;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Sequences padded to the longest row of their own batch (dynamic padding), as the three int64
 * arrays a BERT encoder takes: input ids, token type ids, attention mask.
 */
public final class PaddedBatch {
  private final long[] ids;
  private final long[] typeIds;
  private final long[] mask;
  private final int rows;
  private final int width;
  private final boolean padded;

  /**
   * Pads to the longest of {@code sequences}.
   *
   * @param sequences the rows, at least one
   * @throws IllegalArgumentException if {@code sequences} is empty
   */
  public PaddedBatch(List<InputSequence> sequences) {
    this(sequences, longest(sequences));
  }

  /**
   * Pads to {@code width} tokens, which must be at least the longest sequence's length (a wider batch
   * only costs compute; the naive baseline of the benchmark pads every batch to the longest input of a
   * request).
   *
   * @param sequences the rows, at least one
   * @param width tokens per row after padding
   * @throws IllegalArgumentException if {@code sequences} is empty, or {@code width} is less than the
   *     longest sequence's length
   */
  public PaddedBatch(List<InputSequence> sequences, int width) {
    int longest = longest(sequences);
    checkArgument(
        width >= longest, "width %s is shorter than the longest sequence (%s tokens)", width, longest);
    this.rows = sequences.size();
    this.width = width;
    ids = new long[rows * width];
    typeIds = new long[rows * width];
    mask = new long[rows * width];
    for (int r = 0; r < rows; r++) {
      InputSequence s = sequences.get(r);
      System.arraycopy(s.ids(), 0, ids, r * width, s.length());
      System.arraycopy(s.typeIds(), 0, typeIds, r * width, s.length());
      java.util.Arrays.fill(mask, r * width, r * width + s.length(), 1L);
    }
    this.padded = sequences.stream().anyMatch(s -> s.length() < width);
  }

  private static int longest(List<InputSequence> sequences) {
    checkArgument(!sequences.isEmpty(), "a batch needs at least one sequence");
    return sequences.stream().mapToInt(InputSequence::length).max().orElseThrow();
  }

  /** {@return true when some row is shorter than the batch width, so attention must mask padding} */
  public boolean padded() {
    return padded;
  }

  /** {@return the number of rows (sequences)} */
  public int rows() {
    return rows;
  }

  /** {@return tokens per row after padding} */
  public int width() {
    return width;
  }

  /**
   * The batch as arrays: padding has id 0, type 0 and mask 0.
   *
   * @param manager owns the new arrays
   * @return {@code [inputIds, tokenTypeIds, attentionMask]}, each [rows, width] int64 on the manager's
   *     device
   */
  public NDList toNDList(NDManager manager) {
    Shape shape = new Shape(rows, width);
    NDArray idArray = manager.create(ids, shape);
    NDArray typeArray = manager.create(typeIds, shape);
    NDArray maskArray = manager.create(mask, shape);
    return new NDList(idArray, typeArray, maskArray);
  }
}
