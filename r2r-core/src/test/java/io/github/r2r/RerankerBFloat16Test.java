package io.github.r2r;

import io.github.r2r.model.Precision;

/** {@link LowPrecisionRerankerTest} for {@link Precision#BF16}. */
class RerankerBFloat16Test extends LowPrecisionRerankerTest {
  @Override
  Precision precision() {
    return Precision.BF16;
  }

  @Override
  double toleranceToFloat32() {
    return 3e-3;
  }

  @Override
  double batchTolerance() {
    return 5e-4;
  }
}
