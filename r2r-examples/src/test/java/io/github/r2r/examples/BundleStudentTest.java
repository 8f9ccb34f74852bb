package io.github.r2r.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BundleStudent refuses an output it cannot or must not write before it loads the student. */
class BundleStudentTest {
  private static MainOutcome run(String... args) throws IOException {
    return MainOutcome.of("usage", BundleStudent::run, args);
  }

  @Test
  void anOutputThatIsTheStudentsOwnDirectoryIsRefusedAndTheStudentKept(@TempDir Path dir) throws IOException {
    Path model = TrainReasonsTest.tinyModel(dir);
    byte[] weights = Files.readAllBytes(model.resolve("model.safetensors"));

    MainOutcome outcome = run("--model", model.toString(), "--base", "e5-small-v2",
        "--out", dir.resolve("./model/").toString());

    assertEquals(2, outcome.status(), outcome.err());
    assertTrue(outcome.err().startsWith("--out " + dir.resolve("./model/") + " is the directory of --model " + model),
        outcome.err());
    assertArrayEquals(weights, Files.readAllBytes(model.resolve("model.safetensors")));
  }

  @Test
  void anOutputThatIsAFileOrUnderAFileIsAUsageError(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "x");
    MainOutcome onFile = run("--model", dir.resolve("none").toString(), "--base", "e5-small-v2", "--out", file.toString());
    assertEquals(2, onFile.status(), onFile.err());
    assertTrue(onFile.err().startsWith("--out " + file + " exists and is not a directory"), onFile.err());
    MainOutcome missing = run("--model", dir.resolve("none").toString(), "--base", "e5-small-v2",
        "--out", file.resolve("out").toString());
    assertEquals(2, missing.status(), missing.err());
    assertTrue(missing.err().startsWith("--out " + file.resolve("out") + ": " + file + " is not a directory"), missing.err());
  }
}
