package io.github.r2r.training.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JudgementStoreTest {
  @TempDir Path dir;

  private static final ImmutableList<Passage> PASSAGES = Answers.passages(3);
  private static final TeacherJudgement JUDGEMENT =
      new TeacherJudgement(
          List.of(
              new RankedPassage(2, "d3", "l3", "s3 \"quoted\"\nline", false),
              new RankedPassage(0, "d1", "l1", "", false),
              RankedPassage.repairedAt(1)),
          "m-answering",
          new TokenUsage(120, 80),
          List.of("{\"ranked_passages\": []} <raw>"),
          1);

  @Test
  void judgementsSurviveReopening() throws IOException {
    Path file = dir.resolve("calls.jsonl");
    String key = JudgementStore.key("m", "v1", "q", PASSAGES);
    try (JudgementStore store = JudgementStore.open(file)) {
      store.put("m", "v1", "q", PASSAGES, JUDGEMENT);
      assertEquals(Optional.of(JUDGEMENT), store.find(key));
    }

    try (JudgementStore reopened = JudgementStore.open(file)) {
      assertEquals(Optional.of(JUDGEMENT), reopened.find(key));
      assertEquals(1, reopened.size());
      assertEquals(0, reopened.discardedPartialLines());
    }
    assertEquals(1, Files.readAllLines(file).size());
  }

  @Test
  void eachLineNamesWhatWasAsked() throws IOException {
    Path file = dir.resolve("calls.jsonl");
    try (JudgementStore store = JudgementStore.open(file)) {
      store.put("m", "v1", "q", PASSAGES, JUDGEMENT);
    }

    JsonObject line;
    try (AppendOnlyJsonlFile jsonl = AppendOnlyJsonlFile.open(file)) {
      line = jsonl.existing().get(0);
    }
    assertEquals(JudgementStore.key("m", "v1", "q", PASSAGES), line.get("key").getAsString());
    assertEquals("m", line.get("model").getAsString());
    assertEquals("v1", line.get("prompt_version").getAsString());
    assertEquals("q", line.get("query").getAsString());
    assertEquals("[\"p1\",\"p2\",\"p3\"]", line.get("docids").toString());
    JsonObject best =
        line.getAsJsonObject("judgement")
            .getAsJsonArray("ranked_passages")
            .get(0)
            .getAsJsonObject();
    assertEquals(3, best.get("identifier").getAsInt());
  }

  @Test
  void aHalfWrittenLastLineIsDroppedAndTheFileStaysAppendable() throws IOException {
    Path file = dir.resolve("calls.jsonl");
    try (JudgementStore store = JudgementStore.open(file)) {
      store.put("m", "v1", "q", PASSAGES, JUDGEMENT);
    }
    String complete = Files.readString(file);
    Files.writeString(
        file, complete.substring(0, complete.length() / 2), StandardOpenOption.APPEND);

    try (JudgementStore store = JudgementStore.open(file)) {
      assertEquals(1, store.discardedPartialLines());
      assertEquals(1, store.size());
      assertEquals(complete, Files.readString(file), "the partial line is cut off");
      store.put("m", "v1", "q2", PASSAGES, JUDGEMENT);
    }
    try (JudgementStore store = JudgementStore.open(file)) {
      assertEquals(0, store.discardedPartialLines());
      assertEquals(2, store.size());
    }
  }

  @Test
  void aCompleteLastLineMissingOnlyItsNewlineIsKept() throws IOException {
    Path file = dir.resolve("out.jsonl");
    Files.writeString(file, "{\"qid\":\"1\"}\n{\"qid\":\"2\"}", StandardCharsets.UTF_8);

    try (AppendOnlyJsonlFile jsonl = AppendOnlyJsonlFile.open(file)) {
      assertEquals(2, jsonl.existing().size());
      assertEquals(0, jsonl.discardedPartialLines());
    }
    assertEquals("{\"qid\":\"1\"}\n{\"qid\":\"2\"}\n", Files.readString(file));
  }

  @Test
  void aBadLineBeforeTheEndIsAnErrorNotSilentlyDropped() throws IOException {
    Path file = dir.resolve("out.jsonl");
    Files.writeString(file, "{\"qid\":\"1\"}\nnot json\n{\"qid\":\"3\"}\n");

    IOException e = assertThrows(IOException.class, () -> AppendOnlyJsonlFile.open(file));
    assertEquals(
        file
            + " line 2 is not a JSON object; the file was changed by something other than an"
            + " append: fix or remove that line",
        e.getMessage());
  }

  @Test
  void aRecordThatIsNotAJudgementIsAnError() throws IOException {
    Path file = dir.resolve("calls.jsonl");
    Files.writeString(file, "{\"key\":\"k\",\"judgement\":{}}\n");

    IOException e = assertThrows(IOException.class, () -> JudgementStore.open(file));
    assertTrue(
        e.getMessage().startsWith(file + " record 1 is not a stored judgement"), e.getMessage());

    Files.writeString(file, "{\"judgement\":{}}\n");
    IOException noKey = assertThrows(IOException.class, () -> JudgementStore.open(file));
    assertEquals(file + " record 1 is not a stored judgement: it has no 'key' field", noKey.getMessage());
  }

  @Test
  void twoRunsCannotShareAStore() throws IOException {
    Path file = dir.resolve("calls.jsonl");
    try (JudgementStore first = JudgementStore.open(file)) {
      IOException e = assertThrows(IOException.class, () -> JudgementStore.open(file));
      assertEquals(file + " is in use by another labelling run (it is locked)", e.getMessage());
    }
  }

  @Test
  void keyDependsOnEveryPartOfTheQuestion() {
    String key = JudgementStore.key("m", "v", "q", PASSAGES);

    assertEquals(key, JudgementStore.key("m", "v", "q", Answers.passages(3)));
    assertNotEquals(key, JudgementStore.key("m2", "v", "q", PASSAGES));
    assertNotEquals(key, JudgementStore.key("m", "v2", "q", PASSAGES));
    assertNotEquals(key, JudgementStore.key("m", "v", "q2", PASSAGES));
    assertNotEquals(key, JudgementStore.key("m", "v", "q", PASSAGES.reverse()));
    assertNotEquals(
        key,
        JudgementStore.key(
            "m", "v", "q", List.of(PASSAGES.get(0), PASSAGES.get(1), new Passage("p3", "other"))));
    assertNotEquals(
        JudgementStore.key("ab", "c", "q", PASSAGES), JudgementStore.key("a", "bc", "q", PASSAGES));
  }

  @Test
  void keyDependsOnTheAnswerSettingsAndIsUnchangedWithoutThem() {
    String without = JudgementStore.key("m", "v", "q", PASSAGES);
    assertEquals(without, JudgementStore.key("m", "v", "", "q", PASSAGES));
    String local = JudgementStore.key("m", "v", "endpoint=http://127.0.0.1:1/v1", "q", PASSAGES);
    assertNotEquals(without, local);
    assertNotEquals(local, JudgementStore.key("m", "v", "endpoint=http://127.0.0.1:2/v1", "q", PASSAGES));
  }

  @Test
  void cachingTeacherAsksAgainUnderOtherAnswerSettings() throws Exception {
    HiddenRelevanceTeacher hidden =
        new HiddenRelevanceTeacher(java.util.Map.of("p1", 1, "p2", 3, "p3", 2));
    try (JudgementStore store = JudgementStore.open(dir.resolve("calls.jsonl"))) {
      new CachingTeacher(withSettings(hidden, "max_missing_fraction=0.5"), store).judge("q", PASSAGES);
      CachingTeacher stricter = new CachingTeacher(withSettings(hidden, "max_missing_fraction=0.0"), store);
      stricter.judge("q", PASSAGES);
      assertEquals(2, hidden.calls().size(), "an answer repaired under the laxer policy is not reused");
      stricter.judge("q", PASSAGES);
      assertEquals(1, stricter.hits());
    }
  }

  /** {@code teacher} answering as it does, but under {@code settings}. */
  private static Teacher withSettings(Teacher teacher, String settings) {
    return new Teacher() {
      @Override
      public TeacherJudgement judge(String query, List<Passage> passages) throws InterruptedException {
        return teacher.judge(query, passages);
      }

      @Override
      public String model() {
        return teacher.model();
      }

      @Override
      public String promptVersion() {
        return teacher.promptVersion();
      }

      @Override
      public String answerSettings() {
        return settings;
      }
    };
  }

  @Test
  void aJudgementOfTheWrongSizeIsRefused() throws IOException {
    try (JudgementStore store = JudgementStore.open(dir.resolve("calls.jsonl"))) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> store.put("m", "v", "q", Answers.passages(2), JUDGEMENT));
      assertEquals("judgement ranks 3 passages but 2 were given", e.getMessage());
    }
  }

  @Test
  void cachingTeacherAsksOnlyOncePerQuestion() throws Exception {
    HiddenRelevanceTeacher hidden =
        new HiddenRelevanceTeacher(java.util.Map.of("p1", 1, "p2", 3, "p3", 2));
    try (JudgementStore store = JudgementStore.open(dir.resolve("calls.jsonl"))) {
      CachingTeacher caching = new CachingTeacher(hidden, store);
      TeacherJudgement first = caching.judge("q", PASSAGES);
      TeacherJudgement second = caching.judge("q", PASSAGES);
      caching.judge("another q", PASSAGES);

      assertEquals(first, second);
      assertEquals(2, hidden.calls().size());
      assertEquals(1, caching.hits());
      assertEquals(2, caching.misses());
    }
    try (JudgementStore reopened = JudgementStore.open(dir.resolve("calls.jsonl"))) {
      new CachingTeacher(hidden, reopened).judge("q", PASSAGES);
      assertEquals(2, hidden.calls().size(), "answered from disk after reopening");
    }
  }

  @Test
  void judgementValidatesItsRanking() {
    IllegalArgumentException twice =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new TeacherJudgement(
                    List.of(RankedPassage.repairedAt(0), RankedPassage.repairedAt(0)),
                    "m",
                    TokenUsage.NONE,
                    List.of(),
                    0));
    assertEquals("inputIndex 0 appears twice in the ranking", twice.getMessage());
    IllegalArgumentException range =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new TeacherJudgement(
                    List.of(RankedPassage.repairedAt(1)), "m", TokenUsage.NONE, List.of(), 0));
    assertEquals("inputIndex 1 out of range for a ranking of 1 passages", range.getMessage());
  }
}
