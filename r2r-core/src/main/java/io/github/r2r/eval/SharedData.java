package io.github.r2r.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * The one place that knows where the project's shared benchmark and teacher data live.
 *
 * <p>Resolution order: the system property {@code r2r.shared.data}, the environment variable
 * {@code R2R_SHARED_DATA}, then {@code ../shared/data} relative to the working directory and its
 * parents (so it is found from the repository root and from a module directory). Tests call
 * {@link #locate()} and skip with a JUnit assumption when it is empty; the data is never copied
 * into the repository.
 */
public final class SharedData {
  private SharedData() {}

  /**
   * {@return the shared data folder, if it exists on this machine; a configured path that is not a
   * directory gives empty without searching further}
   */
  public static Optional<Path> locate() {
    String configured = System.getProperty("r2r.shared.data");
    if (configured == null || configured.isBlank()) {
      configured = System.getenv("R2R_SHARED_DATA");
    }
    if (configured != null && !configured.isBlank()) {
      Path path = Paths.get(configured).toAbsolutePath().normalize();
      return Files.isDirectory(path) ? Optional.of(path) : Optional.empty();
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("../shared/data").normalize();
      if (Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * A sub-folder or file of the shared data (e.g. {@code "trec-dl19-passage"}), if present.
   *
   * @param relative the path inside the shared data folder
   * @return the path, or empty when the folder or the path in it does not exist
   */
  public static Optional<Path> locate(String relative) {
    return locate().map(root -> root.resolve(relative)).filter(Files::exists);
  }
}
