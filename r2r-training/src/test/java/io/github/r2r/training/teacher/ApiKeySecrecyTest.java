package io.github.r2r.training.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.base.Throwables;
import io.github.r2r.training.teacher.ScriptedChatServer.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API key reaches the server's Authorization header and nothing else: not logs, not exception
 * messages or stack traces, not the call cache, not the training records, even when the server
 * echoes it back in error bodies and answers.
 */
class ApiKeySecrecyTest {
  private static final String KEY = "sk-secret-0123456789abcdef";

  @TempDir Path dir;

  private final Logger teacherLogs = Logger.getLogger("io.github.r2r.training.teacher");
  private final List<String> logLines = Collections.synchronizedList(new ArrayList<>());
  private final Handler capture =
      new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
          logLines.add(formatter.format(record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private Level previousLevel;

  @BeforeEach
  void captureLogs() {
    previousLevel = teacherLogs.getLevel();
    teacherLogs.setLevel(Level.ALL);
    teacherLogs.addHandler(capture);
  }

  @AfterEach
  void restoreLogs() {
    teacherLogs.removeHandler(capture);
    teacherLogs.setLevel(previousLevel);
  }

  @Test
  void keyNeverLeavesTheAuthorizationHeader() throws Exception {
    String echo = "{\"error\": \"key " + KEY + " is not allowed\"}";
    String echoingAnswer = Answers.ranking(2, 1).replace("direct 2", "your key is " + KEY);
    try (ScriptedChatServer server =
        ScriptedChatServer.start(
            (request, index) ->
                switch (index) {
                  case 0 -> Reply.status(500, echo);
                  case 1 -> Reply.chat("I saw the header " + KEY);
                  case 2 -> Reply.chat(echoingAnswer);
                  default -> Reply.status(401, echo);
                })) {
      OpenAiCompatibleTeacher llm =
          OpenAiCompatibleTeacher.builder()
              .baseUrl(server.baseUrl())
              .model("m")
              .apiKey(KEY)
              .retryPolicy(
                  new RetryPolicy(
                      3, Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofSeconds(1)))
              .build();
      Path store = dir.resolve("calls.jsonl");
      Path out = dir.resolve("train.jsonl");
      List<LabellingInput> inputs =
          List.of(
              new LabellingInput("q1", "first", Answers.passages(2)),
              new LabellingInput("q2", "second", Answers.passages(2)));
      FatalTeacherException fatal;
      try (JudgementStore cache = JudgementStore.open(store)) {
        fatal =
            assertThrows(
                FatalTeacherException.class,
                () ->
                    TeacherLabeller.builder(new CachingTeacher(llm, cache))
                        .build()
                        .label(inputs, out));
      }

      assertEquals("Bearer " + KEY, server.requests().get(0).header("Authorization"));
      assertEquals(4, server.requestCount());
      assertTrue(fatal.getMessage().contains("[redacted] is not allowed"), fatal.getMessage());
      assertFalse(Throwables.getStackTraceAsString(fatal).contains(KEY));
      assertTrue(logLines.size() >= 2, "retries and the rejected answer are logged: " + logLines);
      for (String line : logLines) {
        assertFalse(line.contains(KEY), line);
      }
      String stored = Files.readString(store);
      assertTrue(stored.contains("your key is [redacted]"), stored);
      assertFalse(stored.contains(KEY));
      assertFalse(Files.readString(out).contains(KEY));
      assertFalse(llm.toString().contains(KEY), llm.toString());
    }
  }

  @Test
  void keyObjectsDoNotPrintTheirSecret() {
    ApiKey key = ApiKey.of(KEY);

    assertEquals("ApiKey[redacted]", key.toString());
    assertEquals("a [redacted] b", key.redact("a " + KEY + " b"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ApiKey.of(KEY + " x"));
    assertEquals("API key contains whitespace (value not shown)", e.getMessage());
  }

  @Test
  void keyIsReadFromOpenAiApiKey() {
    assertEquals(
        "a [redacted]",
        ApiKey.fromEnvironment(Map.of("OPENAI_API_KEY", " " + KEY + "\n"))
            .orElseThrow()
            .redact("a " + KEY));
    assertEquals(Optional.empty(), ApiKey.fromEnvironment(Map.of("OPENAI_API_KEY", " ")));
    assertEquals(Optional.empty(), ApiKey.fromEnvironment(Map.of()));
  }
}
