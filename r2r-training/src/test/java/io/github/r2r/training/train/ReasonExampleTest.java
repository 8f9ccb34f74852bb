package io.github.r2r.training.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.r2r.generate.ReasonInput;
import io.github.r2r.generate.ReasonKind;
import io.github.r2r.text.InputSequence;
import org.junit.jupiter.api.Test;

class ReasonExampleTest {
  private static final ReasonInput INPUT =
      new ReasonInput(ReasonKind.POINTWISE, new InputSequence(new long[] {101, 7, 102}, new long[3]));

  @Test
  void theTargetIsCopiedInAndOut() {
    long[] target = {5, 6, 7};
    ReasonExample example = new ReasonExample("q1", INPUT, target);

    target[0] = 99;
    example.target()[1] = 99;

    assertArrayEquals(new long[] {5, 6, 7}, example.target());
  }

  @Test
  void copyTargetIntoFillsARowFromItsOffset() {
    ReasonExample example = new ReasonExample("q1", INPUT, new long[] {5, 6, 7});
    long[] row = new long[5];

    example.copyTargetInto(row, 1);

    assertEquals(3, example.targetLength());
    assertArrayEquals(new long[] {0, 5, 6, 7, 0}, row);
  }
}
