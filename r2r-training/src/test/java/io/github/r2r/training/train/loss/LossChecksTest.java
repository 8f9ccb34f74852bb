package io.github.r2r.training.train.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class LossChecksTest {

  @Test
  void finiteLossPassesThroughUnchanged() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray loss = manager.create(0.25f);

      assertSame(loss, LossChecks.requireFinite(loss, "ranknet/teacher_ranks"));
    }
  }

  @Test
  void nanLossIsReportedWithItsName() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NonFiniteLossException error =
          assertThrows(
              NonFiniteLossException.class,
              () -> LossChecks.requireFinite(manager.create(Float.NaN), "listnet/teacher_ranks"));

      assertEquals("loss listnet/teacher_ranks is not finite: NaN", error.getMessage());
      assertEquals("listnet/teacher_ranks", error.lossName());
    }
  }

  @Test
  void infiniteLossIsReported() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NonFiniteLossException error =
          assertThrows(
              NonFiniteLossException.class,
              () ->
                  LossChecks.requireFinite(
                      manager.create(Float.NEGATIVE_INFINITY), "weighted_sum"));

      assertEquals("loss weighted_sum is not finite: -Infinity", error.getMessage());
    }
  }

  @Test
  void nonScalarLossCountsNonFiniteElements() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray perList = manager.create(new float[] {1f, Float.NaN, Float.POSITIVE_INFINITY, 2f});

      NonFiniteLossException error =
          assertThrows(
              NonFiniteLossException.class, () -> LossChecks.requireFinite(perList, "per_list"));

      assertEquals(
          "loss per_list is not finite: 2 of 4 elements are not finite", error.getMessage());
    }
  }
}
