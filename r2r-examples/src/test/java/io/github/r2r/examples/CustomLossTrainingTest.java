package io.github.r2r.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CustomLossTrainingTest {
  /** A mistyped --data used to train on the four built-in toy lists, exiting 0. */
  @Test
  void aDataDirectoryWithoutTheTeacherFileIsAUsageErrorNamingIt(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("nonexistent");
    Path out = dir.resolve("out");

    MainOutcome outcome =
        MainOutcome.of(
            "usage", CustomLossTraining::run, "--steps", "1", "--out", out.toString(), "--data", data.toString());

    assertEquals(2, outcome.status(), outcome.out() + outcome.err());
    assertTrue(
        outcome.err().startsWith(
            "--data " + data + " has no r2r-teacher/train-msmarco-500.jsonl (" + data.resolve(
                "r2r-teacher/train-msmarco-500.jsonl") + " is not a file)"),
        outcome.err());
    assertFalse(outcome.out().contains("built-in lists"), outcome.out());
    assertFalse(Files.exists(out), "nothing trained");
  }
}
