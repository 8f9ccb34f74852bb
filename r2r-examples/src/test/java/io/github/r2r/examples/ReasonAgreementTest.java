package io.github.r2r.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReasonAgreementTest {
  @Test
  void examplesAreRangeCheckedBeforeTheFilesAreRead() {
    UsageException e = assertThrows(UsageException.class, () -> ReasonAgreement.run(
        new String[] {"--reference", "none.jsonl", "--other", "none.jsonl", "--examples", "-1"}));
    assertEquals("--examples must be zero or more, got -1", e.getMessage());
  }

  @Test
  void filesWithNoPassageInCommonAreAnErrorOfTheInputNotOfTheUsage(@TempDir Path dir) throws Exception {
    Path reference = Files.writeString(dir.resolve("reference.jsonl"), "");
    Path other = Files.writeString(dir.resolve("other.jsonl"), "");
    MainOutcome outcome = MainOutcome.of("usage", ReasonAgreement::run,
        "--reference", reference.toString(), "--other", other.toString());
    assertEquals(new MainOutcome(1, "", "error: no passage of " + other + " has a reason in " + reference
        + System.lineSeparator()), outcome);
  }
}
