package io.github.r2r.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
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
  void aDirectoryIsRefusedAndMissingDirectoriesAreCreated() throws IOException {
    IOException directory = assertThrows(IOException.class, () -> AtomicFiles.writeString(dir, "x"));
    assertTrue(directory.getMessage().endsWith("it is a directory"), directory.getMessage());
    AtomicFiles.writeString(dir.resolve("no/such/run.txt"), "x");
    assertEquals("x", Files.readString(dir.resolve("no/such/run.txt")));
  }

  /** As a plain write: the umask's permissions for a new file, the old ones for a replaced file. */
  @Test
  void permissionsAreThoseOfAPlainWrite() throws IOException {
    Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
    Path atomic = dir.resolve("atomic.txt");
    AtomicFiles.writeString(atomic, "x");
    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic));

    Set<PosixFilePermission> groupWritable = PosixFilePermissions.fromString("rw-rw-r--");
    Files.setPosixFilePermissions(atomic, groupWritable);
    AtomicFiles.writeString(atomic, "y");
    assertEquals(groupWritable, Files.getPosixFilePermissions(atomic));
  }

  @Test
  void aSymbolicLinkIsFollowed() throws IOException {
    Path real = Files.writeString(dir.resolve("real.txt"), "old");
    Path link = Files.createSymbolicLink(dir.resolve("link.txt"), real);
    AtomicFiles.writeString(link, "new");
    assertTrue(Files.isSymbolicLink(link));
    assertEquals("new", Files.readString(real));
  }

  /** Writing '?' for half an emoji would merge ids that differ only there; the write is refused. */
  @Test
  void anUnpairedSurrogateIsRefusedNotWrittenAsAQuestionMark() {
    Path run = dir.resolve("run.txt");
    assertThrows(CharacterCodingException.class, () -> AtomicFiles.writeString(run, "q1 Q0 d\uD83D 1 1.0 tag\n"));
    assertFalse(Files.exists(run));
  }
}
