package io.github.r2r;

import io.github.r2r.model.Precision;

/**
 * {@link LowPrecisionRerankerTest} for {@link Precision#INT8}. Batch size 1 has no padding, so
 * attention sums in another order; int8 rounding can turn that into a quantisation step, as large as
 * int8's difference from float32 and no larger: both bounds are 1e-2.
 */
class RerankerInt8Test extends LowPrecisionRerankerTest {
  @Override
  Precision precision() {
    return Precision.INT8;
  }

  @Override
  double toleranceToFloat32() {
    return 1e-2;
  }

  @Override
  double batchTolerance() {
    return 1e-2;
  }
}
