package io.github.r2r.model.io;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Gives file-based readers access to classpath resources (such as the ONNX models inside embedding
 * jars) by copying the resource to a temporary file.
 */
final class ResourceFiles {
  /** A reader of a file, allowed to fail with an {@link IOException}. */
  @FunctionalInterface
  interface PathReader<T> {
    T read(Path file) throws IOException;
  }

  private ResourceFiles() {}

  /**
   * Copies {@code resource} (a path inside {@code loader}'s classpath; a leading {@code /} is
   * ignored) to a temporary file, applies {@code reader} to it and deletes the file.
   *
   * <p>Readers memory-map the file; a mapping outlives the deletion of its file on Linux and macOS,
   * so the copy costs no lasting disk space there. Where the file system refuses to delete a mapped
   * file, the copy is deleted when the JVM exits.
   *
   * @throws FileNotFoundException if {@code loader} has no such resource
   */
  static <T> T readThroughTemporaryCopy(ClassLoader loader, String resource, PathReader<T> reader)
      throws IOException {
    checkNotNull(loader, "loader");
    String name = resource.startsWith("/") ? resource.substring(1) : resource;
    Path copy;
    try (InputStream in = loader.getResourceAsStream(name)) {
      if (in == null) {
        throw new FileNotFoundException("classpath resource not found: " + resource);
      }
      String fileName = Path.of(name).getFileName().toString();
      copy = Files.createTempFile("r2r-", "-" + fileName);
      try {
        Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        Files.deleteIfExists(copy);
        throw e;
      }
    }
    try {
      return reader.read(copy);
    } finally {
      try {
        Files.deleteIfExists(copy);
      } catch (IOException stillMapped) {
        copy.toFile().deleteOnExit();
      }
    }
  }

  /** The context class loader of the current thread, else the loader of this library. */
  static ClassLoader defaultClassLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : ResourceFiles.class.getClassLoader();
  }
}
