package io.github.r2r.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Directories the training programs write into, checked before any work as {@link CommandLine#outputFile}
 * checks files: a run that fails to write its model after hours of training has lost those hours.
 */
final class OutputDirectories {
  private OutputDirectories() {}

  /**
   * {@code dir}, the value of {@code --name}, as a directory the program will create (with its missing
   * parents, as {@code mkdir -p} does) or write into: not an existing file, and the nearest directory of
   * it that exists must be writable.
   *
   * @throws UsageException otherwise
   */
  static Path checked(String name, Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new UsageException("--" + name + " " + dir + " exists and is not a directory");
    }
    CommandLine.checkCreatableUnder(name, dir, dir.toAbsolutePath().normalize());
    return dir;
  }

  /**
   * Refuses an output directory that is an input's: writing there would replace what the program reads
   * (and, if it fails halfway, leave neither).
   *
   * @throws UsageException if {@code out} (of {@code --outName}) is {@code in} (of {@code --inName})
   */
  static void refuseInput(String outName, Path out, String inName, Path in) {
    if (same(out, in)) {
      throw new UsageException("--" + outName + " " + out + " is the directory of --" + inName + " " + in
          + ": writing there would replace the input; give another directory");
    }
  }

  /** Whether the two paths are one directory: {@link Files#isSameFile} when both exist, else by absolute path. */
  static boolean same(Path a, Path b) {
    if (Files.exists(a) && Files.exists(b)) {
      try {
        return Files.isSameFile(a, b);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
  }
}
