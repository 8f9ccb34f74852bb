package io.github.r2r.training.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.r2r.training.teacher.ScriptedChatServer.Reply;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A labelling run stopped while the server holds its 5th call (query 3, first window), then run
 * again to the end: every input gets exactly one judgement, and only the call that was cut off is
 * asked twice.
 */
class KillAndResumeTest {
  private static final int STOPPED_AT_CALL = 4;

  @TempDir Path dir;

  private final Map<String, Integer> callsPerPrompt = new ConcurrentHashMap<>();
  private final List<String> promptOrder = new ArrayList<>();
  private final CountDownLatch stopPointReached = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private ScriptedChatServer server;

  @BeforeEach
  void startServer() throws IOException {
    server =
        ScriptedChatServer.start(
            (request, index) -> {
              String prompt = request.prompt();
              callsPerPrompt.merge(prompt, 1, Integer::sum);
              synchronized (promptOrder) {
                promptOrder.add(prompt);
              }
              if (index == STOPPED_AT_CALL) {
                stopPointReached.countDown();
                release.await(30, TimeUnit.SECONDS);
                return Reply.status(503, "the client was stopped before this answer");
              }
              return Reply.chat(Answers.sortByStatedRelevance(prompt));
            });
  }

  @AfterEach
  void stopServer() {
    release.countDown();
    server.close();
  }

  @Test
  void interruptedThreadThenRerun() throws Exception {
    Path store = dir.resolve("calls.jsonl");
    Path out = dir.resolve("train.jsonl");
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread run =
        new Thread(
            () -> {
              try {
                ResumableRun.label(server.baseUrl(), store, out);
              } catch (Throwable t) {
                outcome.set(t);
              }
            });
    run.start();
    assertTrue(stopPointReached.await(20, TimeUnit.SECONDS), "the run never reached call 5");
    run.interrupt();
    run.join(20_000);
    release.countDown();

    assertInstanceOf(InterruptedException.class, outcome.get());
    resumeAndCheck(store, out);
  }

  @Test
  void killedProcessThenRerun() throws Exception {
    Path store = dir.resolve("calls.jsonl");
    Path out = dir.resolve("train.jsonl");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ResumableRun.class.getName(),
                server.baseUrl(),
                store.toString(),
                out.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("child.log").toFile())
            .start();
    try {
      assertTrue(
          stopPointReached.await(60, TimeUnit.SECONDS),
          "the child never reached call 5; its log: " + readLog());
    } finally {
      child.destroyForcibly();
      child.waitFor(20, TimeUnit.SECONDS);
      release.countDown();
    }

    resumeAndCheck(store, out);
  }

  private void resumeAndCheck(Path store, Path out) throws Exception {
    LabellingSummary summary = ResumableRun.label(server.baseUrl(), store, out);

    // Query 1's line is on disk before the stop. Query 2's may not be: the labeller's pool thread
    // starts query 3 (the call the server holds) while the main thread writes query 2's line, and the
    // stop can come first. Either way query 2's windows are in the cache, so the rerun does not ask
    // for them again (checked below).
    assertTrue(summary.alreadyDone() == 1 || summary.alreadyDone() == 2,
        "queries written before the stop: " + summary.alreadyDone());
    assertEquals(ResumableRun.QUERIES - summary.alreadyDone(), summary.labelled());
    List<JsonObject> records;
    try (AppendOnlyJsonlFile jsonl = AppendOnlyJsonlFile.open(out)) {
      records = jsonl.existing();
    }
    List<String> qids = records.stream().map(r -> r.get("qid").getAsString()).toList();
    assertEquals(
        ResumableRun.inputs().stream().map(LabellingInput::qid).collect(Collectors.toSet()),
        Set.copyOf(qids));
    assertEquals(ResumableRun.QUERIES, qids.size(), "one judgement per input: " + qids);
    for (JsonObject record : records) {
      assertTopFiveCorrect(record);
    }

    String interrupted = promptOrder.get(STOPPED_AT_CALL);
    assertEquals(ResumableRun.CALLS, callsPerPrompt.size(), "distinct calls");
    for (Map.Entry<String, Integer> calls : callsPerPrompt.entrySet()) {
      int expected = calls.getKey().equals(interrupted) ? 2 : 1;
      assertEquals(expected, calls.getValue(), "calls for a prompt");
    }
    assertEquals(ResumableRun.CALLS + 1, server.requestCount());
    try (JudgementStore reopened = JudgementStore.open(store)) {
      assertEquals(ResumableRun.CALLS, reopened.size());
    }
  }

  /** The fake model sorts each window perfectly, so the stated relevance 14..10 leads. */
  private static void assertTopFiveCorrect(JsonObject record) {
    List<String> docs = new ArrayList<>();
    record.getAsJsonArray("unsorted_docs").forEach(d -> docs.add(d.getAsString()));
    List<Integer> reRank = new ArrayList<>();
    for (JsonElement id : record.getAsJsonArray("re_rank_id")) {
      reRank.add(id.getAsInt());
    }
    for (int rank = 0; rank < 5; rank++) {
      String text = docs.get(reRank.get(rank) - 1);
      assertTrue(text.endsWith("relevance " + (14 - rank)), record.get("qid") + ": " + text);
    }
  }

  private String readLog() {
    try {
      return java.nio.file.Files.readString(dir.resolve("child.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
