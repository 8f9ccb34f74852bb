package io.github.r2r.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void aWriteThatFailsHalfwayLeavesTheOldFileAndNoTemporary() throws IOException {
    Path run = dir.resolve("run.txt");
    AtomicFiles.writeString(run, "q1 Q0 d1 1 2.0 old\n");
    IOException full =
        assertThrows(IOException.class, () -> AtomicFiles.write(run, writer -> {
          writer.write("q1 Q0 d1 1 3.0 new\n");
          throw new IOException("No space left on device");
        }));
    assertEquals("No space left on device", full.getMessage());
    assertEquals("q1 Q0 d1 1 2.0 old\n", Files.readString(run), "the old run must stay whole");
    try (var listing = Files.list(dir)) {
      assertEquals(List.of(run), listing.toList(), "no temporary file is left behind");
    }
  }

  @Test
  void writesUtf8AndReplacesTheFile() throws IOException {
    Path report = dir.resolve("report.json");
    AtomicFiles.writeString(report, "old");
    AtomicFiles.writeString(report, "{\"q\": \"café 😀\"}");
    assertEquals("{\"q\": \"café 😀\"}", Files.readString(report));
  }

  @Test
  void aDirectoryOrAMissingParentIsNamed() {
    IOException directory = assertThrows(IOException.class, () -> AtomicFiles.writeString(dir, "x"));
    assertTrue(directory.getMessage().endsWith("it is a directory"), directory.getMessage());
    IOException missing =
        assertThrows(IOException.class, () -> AtomicFiles.writeString(dir.resolve("no/such/run.txt"), "x"));
    assertTrue(missing.getMessage().contains("no directory " + dir.resolve("no/such")), missing.getMessage());
  }
}
