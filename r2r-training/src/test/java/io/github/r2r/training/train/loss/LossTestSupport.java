package io.github.r2r.training.train.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.function.Function;

/** Shared helpers for the loss tests: tensors from literals, autograd and finite differences. */
final class LossTestSupport {
  private LossTestSupport() {}

  static NDArray matrix(NDManager manager, float[]... rows) {
    return manager.create(rows);
  }

  /** A validity mask with every entry real. */
  static NDArray allValid(NDManager manager, int lists, int listSize) {
    float[][] mask = new float[lists][listSize];
    for (float[] row : mask) {
      Arrays.fill(row, 1f);
    }
    return manager.create(mask);
  }

  /** The gradient of {@code loss} with respect to {@code scores}, by autograd. */
  static float[][] autogradGradient(
      NDManager manager, float[][] scores, Function<NDArray, NDArray> loss) {
    NDArray input = manager.create(scores);
    input.setRequiresGradient(true);
    try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
      collector.backward(loss.apply(input));
    }
    return toMatrix(input.getGradient().toFloatArray(), scores.length, scores[0].length);
  }

  /** The gradient of {@code loss} at {@code scores} by central differences, no autograd. */
  static float[][] finiteDifferenceGradient(
      NDManager manager, float[][] scores, Function<NDArray, NDArray> loss, float step) {
    float[][] gradient = new float[scores.length][scores[0].length];
    for (int i = 0; i < scores.length; i++) {
      for (int j = 0; j < scores[i].length; j++) {
        float[][] plus = copy(scores);
        float[][] minus = copy(scores);
        plus[i][j] += step;
        minus[i][j] -= step;
        float difference =
            loss.apply(manager.create(plus)).getFloat()
                - loss.apply(manager.create(minus)).getFloat();
        gradient[i][j] = difference / (2 * step);
      }
    }
    return gradient;
  }

  static void assertMatrixEquals(float[][] expected, float[][] actual, float tolerance) {
    assertEquals(expected.length, actual.length, "rows");
    for (int i = 0; i < expected.length; i++) {
      for (int j = 0; j < expected[i].length; j++) {
        assertEquals(expected[i][j], actual[i][j], tolerance, "entry [" + i + "][" + j + "]");
      }
    }
  }

  private static float[][] copy(float[][] values) {
    float[][] copy = new float[values.length][];
    for (int i = 0; i < values.length; i++) {
      copy[i] = values[i].clone();
    }
    return copy;
  }

  private static float[][] toMatrix(float[] flat, int rows, int columns) {
    float[][] matrix = new float[rows][columns];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(flat, i * columns, matrix[i], 0, columns);
    }
    return matrix;
  }
}
