package io.github.r2r.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.r2r.evidence.EvidenceHead;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TrainEvidence refuses wrong numbers and outputs before it computes features or trains. */
class TrainEvidenceTest {
  private static MainOutcome run(String... args) throws IOException {
    return MainOutcome.of("usage", TrainEvidence::run, args);
  }

  @Test
  void aRankOrEpochCountBelowOneIsAUsageError(@TempDir Path dir) throws IOException {
    Path data = dir.resolve("none.jsonl");
    MainOutcome rank = run("--data", data.toString(), "--out", dir.toString(), "--rank", "0");
    assertEquals(2, rank.status(), rank.err());
    assertTrue(rank.err().startsWith("--rank must be positive, got 0"), rank.err());
    MainOutcome epochs = run("--data", data.toString(), "--out", dir.toString(), "--epochs", "-1");
    assertEquals(2, epochs.status(), epochs.err());
    assertTrue(epochs.err().startsWith("--epochs must be positive, got -1"), epochs.err());
  }

  @Test
  void moreFoldsThanTheFileHasQueriesAreRefusedOnceItIsRead(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("out");
    MainOutcome outcome = run("--data", TrainReasonsTest.teacherFile(dir, 6).toString(), "--out", out.toString(),
        "--model", TrainReasonsTest.tinyModel(dir).toString(), "--folds", "50");
    assertEquals(2, outcome.status(), outcome.err());
    assertTrue(outcome.err().startsWith(dir.resolve("teacher.jsonl") + " has 6 queries: too few for --folds 50"),
        outcome.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void aJsonReportOrOutputDirectoryThatCannotBeWrittenIsRefusedBeforeTraining(@TempDir Path dir)
      throws IOException {
    Path data = TrainReasonsTest.teacherFile(dir, 4);
    Path model = TrainReasonsTest.tinyModel(dir);
    Path out = dir.resolve("out");
    MainOutcome json = run("--data", data.toString(), "--out", out.toString(), "--model", model.toString(),
        "--folds", "0", "--json", dir.toString());
    assertEquals(2, json.status(), json.err());
    assertTrue(json.err().startsWith("--json " + dir + " is a directory"), json.err());
    assertFalse(Files.exists(out.resolve(EvidenceHead.WEIGHTS_FILE)), "no head trained and written before the refusal");

    Path file = Files.writeString(dir.resolve("file"), "x");
    MainOutcome onFile = run("--data", data.toString(), "--out", file.toString(), "--model", model.toString());
    assertEquals(2, onFile.status(), onFile.err());
    assertTrue(onFile.err().startsWith("--out " + file + " exists and is not a directory"), onFile.err());
  }
}
