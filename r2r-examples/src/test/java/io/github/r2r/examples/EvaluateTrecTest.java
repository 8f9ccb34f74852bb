package io.github.r2r.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EvaluateTrecTest {
  private static CommandLine cli(String... args) {
    return new CommandLine(args, Set.of("batch-size"));
  }

  @Test
  void withoutBatchSizeTheRerankersDefaultForThePrecisionApplies() {
    // Empty: the program then leaves the Reranker.Builder's batch size unset (8 in fp32, 4 in bf16 and int8).
    assertEquals(OptionalInt.empty(), EvaluateTrec.batchSize(cli()));
    assertEquals(OptionalInt.of(32), EvaluateTrec.batchSize(cli("--batch-size", "32")));
  }

  @Test
  void aBadBatchSizeIsAUsageErrorBeforeTheBenchmarkIsRead() {
    UsageException e = assertThrows(UsageException.class, () -> EvaluateTrec.run(
        new String[] {"--data", "nowhere", "--model", "bundled", "--batch-size", "many"}));
    assertEquals("--batch-size must be an integer, got 'many'", e.getMessage());
    assertEquals("--batch-size must be positive, got 0",
        assertThrows(UsageException.class, () -> EvaluateTrec.batchSize(cli("--batch-size", "0"))).getMessage());
  }
}
