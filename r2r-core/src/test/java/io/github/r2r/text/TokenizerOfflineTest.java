package io.github.r2r.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model load starts with the tokenizer, whose native library DJL may try to fetch: the offline
 * defaults must already hold then, in a JVM where nobody set them. The test JVM has them set by the
 * build, so this runs a fresh JVM without them (no {@code -Dai.djl.offline}, no {@code DJL_OFFLINE} or
 * {@code OPT_OUT_TRACKING} in its environment) that loads a tokenizer and nothing else.
 */
class TokenizerOfflineTest {
  @TempDir Path dir;

  @Test
  void loadingATokenizerInAFreshJvmSetsTheOfflineDefaults() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                LoadTokenizerOnly.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("child.log").toFile());
    builder.environment().remove("DJL_OFFLINE");
    builder.environment().remove("OPT_OUT_TRACKING");
    Process child = builder.start();
    assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish in 120 s");
    String log = Files.readString(dir.resolve("child.log"), StandardCharsets.UTF_8);
    assertEquals(0, child.exitValue(), "child JVM failed: " + log);
    assertTrue(
        log.contains("before: offline=null tracking=null"),
        "the child JVM started with the defaults already set, so it proves nothing: " + log);
    assertTrue(log.contains("after: offline=true tracking=true"), "offline defaults not applied: " + log);
  }

  /** The child JVM's program: report both properties before and after loading a tokenizer. */
  public static final class LoadTokenizerOnly {
    public static void main(String[] args) throws Exception {
      System.out.println(
          "before: offline=" + System.getProperty("ai.djl.offline")
              + " tracking=" + System.getProperty("OPT_OUT_TRACKING"));
      try (InputStream in = LoadTokenizerOnly.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
        TextTokenizer tokenizer = TextTokenizer.fromStream(in, "all-MiniLM tokenizer");
        tokenizer.close();
      }
      System.out.println(
          "after: offline=" + System.getProperty("ai.djl.offline")
              + " tracking=" + System.getProperty("OPT_OUT_TRACKING"));
    }
  }
}
