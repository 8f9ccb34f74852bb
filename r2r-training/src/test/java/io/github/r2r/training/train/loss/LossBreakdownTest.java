package io.github.r2r.training.train.loss;

import static io.github.r2r.training.train.loss.LossTestSupport.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** A term that is not a single value is refused where it is added, naming the term and its shape. */
class LossBreakdownTest {
  @Test
  void aNonScalarTermIsRefusedNamingItAndItsShape() {
    try (NDManager manager = NDManager.newBaseManager()) {
      LossBreakdown base = LossBreakdown.single("listnet/teacher_ranks", manager.create(0.5f));
      NDArray perEntry = manager.ones(new Shape(2, 5));

      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> base.plus("score_l2", perEntry, 0.1f));

      assertEquals("loss term 'score_l2' must be a scalar, got shape (2, 5)", e.getMessage());
    }
  }

  @Test
  void aNonScalarTermWithALearnableWeightIsRefusedToo() {
    try (NDManager manager = NDManager.newBaseManager()) {
      LossBreakdown base = LossBreakdown.single("listnet/teacher_ranks", manager.create(0.5f));

      IllegalArgumentException term =
          assertThrows(
              IllegalArgumentException.class,
              () -> base.plus("reasons", manager.ones(new Shape(3)), manager.create(0.5f)));
      IllegalArgumentException weight =
          assertThrows(
              IllegalArgumentException.class,
              () -> base.plus("reasons", manager.create(1f), manager.ones(new Shape(1, 2))));

      assertEquals("loss term 'reasons' must be a scalar, got shape (3)", term.getMessage());
      assertEquals("weight of loss term 'reasons' must be a scalar, got shape (1, 2)", weight.getMessage());
    }
  }

  @Test
  void aNonScalarSingleLossIsRefusedNamingIt() {
    try (NDManager manager = NDManager.newBaseManager()) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> LossBreakdown.single("my_loss", matrix(manager, new float[] {1, 2}, new float[] {3, 4})));

      assertEquals("loss term 'my_loss' must be a scalar, got shape (2, 2)", e.getMessage());
    }
  }

  @Test
  void aNonFiniteFixedWeightIsRefusedNamingTheTerm() {
    try (NDManager manager = NDManager.newBaseManager()) {
      LossBreakdown base = LossBreakdown.single("listnet/teacher_ranks", manager.create(0.5f));

      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> base.plus("score_l2", manager.create(1f), Float.NaN));

      assertEquals("weight of loss term 'score_l2' must be finite, got NaN", e.getMessage());
    }
  }

  @Test
  void aScalarTermIsAddedWithItsWeight() {
    try (NDManager manager = NDManager.newBaseManager()) {
      LossBreakdown loss =
          LossBreakdown.single("listnet/teacher_ranks", manager.create(0.5f))
              .plus("score_l2", manager.create(2f), 0.25f);

      assertEquals(1.0f, loss.total().getFloat(), 1e-6f);
      assertEquals(2f, loss.componentValues().get("score_l2"));
      assertEquals(0.25f, loss.weights().get("score_l2"));
    }
  }
}
