package io.github.r2r.util;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Text files written whole or not at all: into a temporary file next to the target, then moved over it.
 * A run file or report cut short (a full disk, a killed process) would otherwise look complete when it
 * ends at a line break, and be evaluated as if it were.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** What writes the file's text. */
  @FunctionalInterface
  public interface TextWriter {
    void writeTo(Writer writer) throws IOException;
  }

  /** Writes {@code text} (UTF-8) to {@code target}, replacing it only once all of it is on disk. */
  public static void writeString(Path target, String text) throws IOException {
    write(target, writer -> writer.write(text));
  }

  /** Writes what {@code content} writes (UTF-8) to {@code target}, replacing it only once all of it is on disk. */
  public static void write(Path target, TextWriter content) throws IOException {
    Path absolute = target.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      throw new IOException("cannot write " + target + ": it is a directory");
    }
    Path parent = absolute.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new IOException("cannot write " + target + ": no directory " + parent);
    }
    Path temporary = Files.createTempFile(parent, "." + absolute.getFileName(), ".partial");
    boolean moved = false;
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
          Writer writer =
              new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8))) {
        content.writeTo(writer);
        writer.flush();
        channel.force(true);
      }
      try {
        Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(temporary);
      }
    }
  }
}
