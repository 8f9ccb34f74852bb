package io.github.r2r.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A team on a platform r2r-core's native dependency does not cover (a Mac, an ARM laptop) gets an
 * engine that cannot start. This runs a fresh JVM as such a platform looks: no {@code
 * pytorch-native-cpu} jar on the classpath and an empty DJL cache, so there is no native library to
 * find, and offline none to download.
 */
class EngineStartFailureTest {
  @TempDir Path dir;

  @Test
  void anEngineWithoutANativeLibraryFailsWithWhatToDeclare() throws Exception {
    String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.contains("pytorch-native-cpu"))
        .collect(Collectors.joining(File.pathSeparator));
    assertTrue(!classPath.equals(System.getProperty("java.class.path")), "the test classpath has no native jar to leave out");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", classPath,
            "-DDJL_CACHE_DIR=" + dir.resolve("djl"), "-DENGINE_CACHE_DIR=" + dir.resolve("engine"),
            StartEngine.class.getName())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("child.log").toFile());
    builder.environment().remove("DJL_CACHE_DIR");
    builder.environment().remove("ENGINE_CACHE_DIR");
    builder.environment().remove("PYTORCH_LIBRARY_PATH");
    Process child = builder.start();
    try {
      assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish in 120 s");
    } finally {
      child.destroyForcibly();
    }
    String log = Files.readString(dir.resolve("child.log"), StandardCharsets.UTF_8);
    assertEquals(0, child.exitValue(), "child JVM failed: " + log);
    assertTrue(log.contains("IllegalStateException: the PyTorch engine did not start on "), log);
    assertTrue(log.contains("no PyTorch native library is on the classpath"), log);
    assertTrue(log.contains("declare the pytorch-native-* artifact and classifier that match (README, Platforms"), log);
  }

  @Test
  void anEngineWhoseNativeLibraryIsPresentButDoesNotLoadIsNotBlamedOnThePlatform() {
    // This test JVM has the native jar: a start failure then points at the cache and the system's libraries.
    String message = Engines.startFailure("Failed to load PyTorch native library");
    assertTrue(message.contains("although a native library is on the classpath"), message);
    assertTrue(message.contains("DJL_CACHE_DIR") && message.endsWith("DJL said: Failed to load PyTorch native library"),
        message);
  }

  /** The child JVM's program: start the engine and print how it failed. */
  public static final class StartEngine {
    public static void main(String[] args) {
      try {
        Engines.pytorch();
        System.out.println("started");
      } catch (RuntimeException e) {
        System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }
  }
}
