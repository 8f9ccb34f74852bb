package io.github.r2r.training.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeacherLabellerTest {
  @TempDir Path dir;

  /** Ranks passages in input order; fails for queries named in {@code failing}. */
  private static final class ScriptedTeacher implements Teacher {
    final List<String> asked = Collections.synchronizedList(new ArrayList<>());
    final Set<String> failing = ConcurrentHashMap.newKeySet();
    final Set<String> fatal = ConcurrentHashMap.newKeySet();
    final Set<String> interruptedAfterAnswering = ConcurrentHashMap.newKeySet();

    @Override
    public TeacherJudgement judge(String query, List<Passage> passages) {
      asked.add(query);
      if (fatal.contains(query)) {
        throw new FatalTeacherException("bad key for " + query);
      }
      if (failing.contains(query)) {
        throw new TeacherException("no usable ranking for " + query);
      }
      List<RankedPassage> ranking = new ArrayList<>();
      for (int i = 0; i < passages.size(); i++) {
        ranking.add(new RankedPassage(i, "because " + query, "", "", false));
      }
      if (interruptedAfterAnswering.remove(query)) {
        Thread.currentThread().interrupt(); // as if the run were stopped just as the answer came
      }
      return new TeacherJudgement(ranking, "scripted", new TokenUsage(7, 3), List.of("raw"), 0);
    }

    @Override
    public String model() {
      return "scripted";
    }

    @Override
    public String promptVersion() {
      return "p1";
    }
  }

  private static List<LabellingInput> inputs(int count) {
    List<LabellingInput> inputs = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      inputs.add(new LabellingInput("q" + i, "query " + i, Answers.passages(3)));
    }
    return inputs;
  }

  private static List<String> qidsIn(Path out) throws IOException {
    try (AppendOnlyJsonlFile jsonl = AppendOnlyJsonlFile.open(out)) {
      return jsonl.existing().stream().map(r -> r.get("qid").getAsString()).toList();
    }
  }

  @Test
  void labelsEveryQueryOnceAndReportsProgress() throws Exception {
    ScriptedTeacher teacher = new ScriptedTeacher();
    List<LabellingProgress> progress = new ArrayList<>();
    Path out = dir.resolve("train.jsonl");

    LabellingSummary summary =
        TeacherLabeller.builder(teacher)
            .progressListener(progress::add)
            .build()
            .label(inputs(3), out);

    assertEquals(List.of("q1", "q2", "q3"), qidsIn(out));
    assertEquals(3, summary.labelled());
    assertEquals(0, summary.alreadyDone());
    assertEquals(List.of(), summary.failures());
    assertEquals(new TokenUsage(21, 9), summary.labelUsage());
    assertEquals(List.of(1, 2, 3), progress.stream().map(LabellingProgress::finished).toList());
    assertEquals(3, progress.get(2).toDo());
    JsonObject first;
    try (AppendOnlyJsonlFile jsonl = AppendOnlyJsonlFile.open(out)) {
      first = jsonl.existing().get(0);
    }
    assertEquals("p1", first.get("prompt_version").getAsString());
    assertEquals("query 1", first.get("query").getAsString());
  }

  /**
   * An interrupt that reaches the cache's file write (the answer is in, the record is being written)
   * closes the file's channel; the caller must still see the interrupt as {@link
   * InterruptedException}, as {@link TeacherLabeller#label} promises, and a rerun must carry on from
   * the cache.
   */
  @Test
  void anInterruptDuringTheCacheWriteIsReportedAsInterruptedAndTheRerunCarriesOn() throws Exception {
    Path out = dir.resolve("train.jsonl");
    Path store = dir.resolve("calls.jsonl");
    ScriptedTeacher teacher = new ScriptedTeacher();
    teacher.interruptedAfterAnswering.add("query 2");

    try (JudgementStore judgements = JudgementStore.open(store)) {
      TeacherLabeller labeller = TeacherLabeller.builder(new CachingTeacher(teacher, judgements)).build();
      InterruptedException stopped = assertThrows(InterruptedException.class, () -> labeller.label(inputs(3), out));
      assertTrue(stopped.getMessage().contains("interrupted while writing"), stopped.getMessage());
    }

    ScriptedTeacher rerun = new ScriptedTeacher();
    try (JudgementStore judgements = JudgementStore.open(store)) {
      LabellingSummary summary =
          TeacherLabeller.builder(new CachingTeacher(rerun, judgements)).build().label(inputs(3), out);
      assertEquals(3, summary.alreadyDone() + summary.labelled());
    }
    assertEquals(List.of("q1", "q2", "q3"), qidsIn(out));
    assertTrue(rerun.asked.contains("query 2"), "query 2's record was cut off, so it is asked again: " + rerun.asked);
    assertFalse(rerun.asked.contains("query 1"), "query 1 was recorded before the stop: " + rerun.asked);
  }

  @Test
  void aRerunSkipsQueriesAlreadyLabelled() throws Exception {
    Path out = dir.resolve("train.jsonl");
    TeacherLabeller.builder(new ScriptedTeacher()).build().label(inputs(2), out);
    ScriptedTeacher second = new ScriptedTeacher();

    LabellingSummary summary = TeacherLabeller.builder(second).build().label(inputs(3), out);

    assertEquals(List.of("query 3"), second.asked);
    assertEquals(2, summary.alreadyDone());
    assertEquals(1, summary.labelled());
    assertEquals(List.of("q1", "q2", "q3"), qidsIn(out));
  }

  @Test
  void aFailedQueryIsReportedLeftOutAndRetriedByTheNextRun() throws Exception {
    Path out = dir.resolve("train.jsonl");
    ScriptedTeacher flaky = new ScriptedTeacher();
    flaky.failing.add("query 2");

    LabellingSummary summary = TeacherLabeller.builder(flaky).build().label(inputs(3), out);

    assertEquals(
        List.of(new LabellingSummary.Failure("q2", "no usable ranking for query 2")),
        summary.failures());
    assertEquals(List.of("q1", "q3"), qidsIn(out));

    ScriptedTeacher healthy = new ScriptedTeacher();
    TeacherLabeller.builder(healthy).build().label(inputs(3), out);
    assertEquals(List.of("query 2"), healthy.asked);
    assertEquals(List.of("q1", "q3", "q2"), qidsIn(out));
  }

  @Test
  void aFatalErrorStopsTheRun() throws Exception {
    Path out = dir.resolve("train.jsonl");
    ScriptedTeacher teacher = new ScriptedTeacher();
    teacher.fatal.add("query 2");

    FatalTeacherException e =
        assertThrows(
            FatalTeacherException.class,
            () -> TeacherLabeller.builder(teacher).build().label(inputs(4), out));

    assertEquals("bad key for query 2", e.getMessage());
    assertEquals(List.of("q1"), qidsIn(out));
  }

  @Test
  void failuresInARowStopTheRun() {
    Path out = dir.resolve("train.jsonl");
    ScriptedTeacher teacher = new ScriptedTeacher();
    teacher.failing.addAll(List.of("query 1", "query 2", "query 3"));

    TeacherException e =
        assertThrows(
            TeacherException.class,
            () ->
                TeacherLabeller.builder(teacher)
                    .maxConsecutiveFailures(2)
                    .build()
                    .label(inputs(3), out));

    assertEquals(
        "stopping after 2 failed queries in a row; last failure (query q2): no usable ranking for"
            + " query 2",
        e.getMessage());
  }

  @Test
  void aHalfWrittenOutputLineIsDroppedAndThatQueryLabelledAgain() throws Exception {
    Path out = dir.resolve("train.jsonl");
    TeacherLabeller.builder(new ScriptedTeacher()).build().label(inputs(2), out);
    List<String> lines = Files.readAllLines(out);
    Files.writeString(out, lines.get(0) + "\n" + lines.get(1).substring(0, 30));
    ScriptedTeacher second = new ScriptedTeacher();

    LabellingSummary summary = TeacherLabeller.builder(second).build().label(inputs(2), out);

    assertEquals(1, summary.discardedPartialLines());
    assertEquals(List.of("query 2"), second.asked);
    assertEquals(List.of("q1", "q2"), qidsIn(out));
    assertEquals(lines, Files.readAllLines(out));
  }

  @Test
  void parallelQueriesAreEachWrittenOnce() throws Exception {
    Path out = dir.resolve("train.jsonl");
    ScriptedTeacher teacher = new ScriptedTeacher();

    LabellingSummary summary =
        TeacherLabeller.builder(teacher).parallelism(4).build().label(inputs(40), out);

    assertEquals(40, summary.labelled());
    List<String> qids = qidsIn(out);
    assertEquals(40, qids.size());
    assertEquals(
        inputs(40).stream().map(LabellingInput::qid).collect(Collectors.toSet()), Set.copyOf(qids));
  }

  @Test
  void duplicateQidsAreRejected() {
    List<LabellingInput> inputs = new ArrayList<>(inputs(2));
    inputs.add(new LabellingInput("q1", "again", Answers.passages(1)));

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TeacherLabeller.builder(new ScriptedTeacher())
                    .build()
                    .label(inputs, dir.resolve("o")));
    assertEquals("qid q1 appears more than once in the inputs", e.getMessage());
  }

  @Test
  void inputsAreValidated() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new LabellingInput("q9", "x", List.of()));
    assertEquals("query q9 has no passages", e.getMessage());
  }

  @Test
  void outputLinesAreAppendedNotRewritten() throws Exception {
    Path out = dir.resolve("train.jsonl");
    Files.writeString(
        out, "{\"qid\":\"q1\",\"note\":\"written by hand\"}\n", StandardOpenOption.CREATE);

    TeacherLabeller.builder(new ScriptedTeacher()).build().label(inputs(2), out);

    assertEquals("{\"qid\":\"q1\",\"note\":\"written by hand\"}", Files.readAllLines(out).get(0));
    assertEquals(List.of("q1", "q2"), qidsIn(out));
  }
}
