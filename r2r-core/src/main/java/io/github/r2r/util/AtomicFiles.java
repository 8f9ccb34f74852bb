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
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.UUID;

/**
 * Files written whole or not at all: into a temporary file next to the target, forced to the disk, then
 * moved over it.
 * A run file or report cut short (a full disk, a killed process) would otherwise look complete when it
 * ends at a line break, and be evaluated as if it were.
 *
 * <p>As a plain write would: missing directories are created, a new file gets the permissions the umask
 * gives, a replaced file keeps its permissions, a symbolic link is followed (its target is replaced),
 * and text that is not valid UTF-16 (an unpaired surrogate) is refused rather than written as '?'.
 * Unlike a plain write, replacing a file needs a writable directory.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** What writes the file's text. */
  @FunctionalInterface
  public interface TextWriter {
    /**
     * Writes the text.
     *
     * @param writer encodes UTF-8 into the temporary file; the caller flushes it and closes the file, so
     *     do not close it
     * @throws IOException to abandon the write; the target file then stays as it was
     */
    void writeTo(Writer writer) throws IOException;
  }

  /** What writes the file's bytes. */
  @FunctionalInterface
  public interface ChannelWriter {
    /**
     * Writes the bytes.
     *
     * @param channel the temporary file, positioned at its start; the caller forces and closes it, so do
     *     not close it
     * @throws IOException to abandon the write; the target file then stays as it was
     */
    void writeTo(FileChannel channel) throws IOException;
  }

  /**
   * Writes {@code text} (UTF-8) to {@code target}, replacing it only once all of it is on disk.
   *
   * @param target the file to write
   * @param text its new content
   * @throws IOException if {@code target} is a directory, the text is not valid UTF-16, or the file
   *     cannot be written; {@code target} is then unchanged
   */
  public static void writeString(Path target, String text) throws IOException {
    write(target, writer -> writer.write(text));
  }

  /**
   * Writes what {@code content} writes (UTF-8) to {@code target}, replacing it only once all of it is on
   * disk.
   *
   * @param target the file to write
   * @param content writes the text; an exception it throws (checked or not) leaves {@code target}
   *     unchanged and is rethrown
   * @throws IOException if {@code target} is a directory, the text is not valid UTF-16, {@code content}
   *     fails, or the file cannot be written; {@code target} is then unchanged
   */
  public static void write(Path target, TextWriter content) throws IOException {
    writeBytes(target, channel -> {
      // An encoder of its own reports malformed input; OutputStreamWriter's default would write '?'.
      // Not closed here: the channel is writeBytes's to force and close.
      Writer writer =
          new BufferedWriter(
              new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8.newEncoder()));
      content.writeTo(writer);
      writer.flush();
    });
  }

  /**
   * Writes what {@code content} writes to {@code target}, replacing it only once all of it is on disk.
   *
   * @param target the file to write
   * @param content writes the bytes; an exception it throws (checked or not) leaves {@code target}
   *     unchanged and is rethrown
   * @throws IOException if {@code target} is a directory, {@code content} fails, or the file cannot be
   *     written; {@code target} is then unchanged
   */
  public static void writeBytes(Path target, ChannelWriter content) throws IOException {
    Path file = Files.isSymbolicLink(target) ? target.toRealPath() : target.toAbsolutePath();
    if (Files.isDirectory(file)) {
      throw new IOException("cannot write " + target + ": it is a directory");
    }
    Path parent = file.getParent();
    Files.createDirectories(parent);
    // Created without permission attributes (unlike Files.createTempFile, which makes it owner-only),
    // so that the umask applies as for any new file.
    Path temporary = parent.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".partial");
    boolean moved = false;
    try {
      try (FileChannel channel =
          FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        content.writeTo(channel);
        channel.force(true);
      }
      keepPermissions(file, temporary);
      try {
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(temporary);
      }
    }
  }

  /** Gives {@code replacement} the permissions of the file it replaces, where the file system has them. */
  private static void keepPermissions(Path replaced, Path replacement) throws IOException {
    PosixFileAttributeView old = Files.getFileAttributeView(replaced, PosixFileAttributeView.class);
    if (old != null && Files.exists(replaced)) {
      Files.setPosixFilePermissions(replacement, old.readAttributes().permissions());
    }
  }
}
