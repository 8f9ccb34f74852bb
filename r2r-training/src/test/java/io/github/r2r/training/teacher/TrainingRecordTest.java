package io.github.r2r.training.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.r2r.eval.SharedData;
import io.github.r2r.training.data.ReadResult;
import io.github.r2r.training.data.ReasonToRankReader;
import io.github.r2r.training.data.TrainingPassage;
import io.github.r2r.training.data.TrainingQuery;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingRecordTest {

  @Test
  void writesTheReasonToRankFields() {
    LabellingInput input =
        new LabellingInput(
            "q1",
            "what is x",
            List.of(
                new Passage("a", "text a"),
                new Passage("b", "text b"),
                new Passage("c", "text c")));
    TeacherJudgement judgement =
        new TeacherJudgement(
            List.of(
                new RankedPassage(2, "dr c", "lr c", "s c", false),
                new RankedPassage(0, "dr a", "lr a", "s a", false),
                RankedPassage.repairedAt(1)),
            "gpt-x",
            new TokenUsage(300, 200),
            List.of("raw1", "raw2"),
            1);

    JsonObject record = TrainingRecord.toJson(input, judgement, "v1#abc");

    JsonObject expected =
        JsonParser.parseString(
                """
                {"query": "what is x", "qid": "q1",
                 "sorted_docids": ["c", "a", "b"], "re_rank_id": [3, 1, 2],
                 "unsorted_docs": ["text a", "text b", "text c"],
                 "reason": {"ranked_passages": [
                   {"identifier": 3, "direct_reason": "dr c", "listwise_reason": "lr c",
                    "direct_answer_sentence": "s c"},
                   {"identifier": 1, "direct_reason": "dr a", "listwise_reason": "lr a",
                    "direct_answer_sentence": "s a"},
                   {"identifier": 2, "direct_reason": "", "listwise_reason": "",
                    "direct_answer_sentence": ""}]},
                 "scores": ["", "", ""],
                 "teacher_model": "gpt-x", "prompt_version": "v1#abc", "teacher_calls": 2,
                 "usage": {"prompt_tokens": 300, "completion_tokens": 200},
                 "repaired_missing": 1, "repaired_identifiers": [2]}
                """)
            .getAsJsonObject();
    assertEquals(expected, record);
  }

  /** The labeller's output is the trainers' input: the default reader reads it, with no labels. */
  @Test
  void theReaderTheTrainersUseReadsWhatTheLabellerWrites(@TempDir Path dir) throws IOException {
    LabellingInput input =
        new LabellingInput("q1", "what is x", List.of(new Passage("a", "text a"), new Passage("b", "text b")));
    TeacherJudgement judgement =
        new TeacherJudgement(
            List.of(new RankedPassage(1, "dr b", "lr b", "s b", false), new RankedPassage(0, "dr a", "lr a", "s a", false)),
            "gpt-x", TokenUsage.NONE, List.of("raw"), 0);
    Path file = dir.resolve("labelled.jsonl");
    Files.writeString(file, TrainingRecord.toJson(input, judgement, "v1") + "\n");

    ReadResult read = ReasonToRankReader.builder().build().read(file);

    assertTrue(read.report().isClean(), read.report().summary());
    TrainingQuery query = read.queries().get(0);
    assertEquals(Optional.of(List.of(1, 0)), query.teacherOrder());
    TrainingPassage b = query.passages().get(1);
    assertEquals("b", b.id());
    assertEquals(Optional.of("dr b"), b.pointwiseReason());
    assertEquals(OptionalInt.empty(), b.label());
  }

  @Test
  void aJudgementOfAnotherSizeIsRefused() {
    LabellingInput input = new LabellingInput("q1", "x", Answers.passages(2));
    TeacherJudgement one =
        new TeacherJudgement(
            List.of(RankedPassage.repairedAt(0)), "m", TokenUsage.NONE, List.of(), 1);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TrainingRecord.toJson(input, one, "v"));
    assertEquals("judgement of q1 ranks 1 passages but the query has 2", e.getMessage());
  }

  /**
   * Rebuilds lines of the published Reason-to-Rank data from their own teacher judgement and checks
   * every field the trainer reads comes out identical.
   */
  @Test
  void reproducesLinesOfThePublishedTeacherData() throws IOException {
    Optional<Path> file = SharedData.locate("r2r-teacher/train-msmarco-500.jsonl");
    assumeTrue(file.isPresent(), "shared data not present");
    List<JsonObject> lines = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file.get())) {
      for (int i = 0; i < 20; i++) {
        lines.add(JsonParser.parseString(reader.readLine()).getAsJsonObject());
      }
    }
    for (JsonObject original : lines) {
      JsonArray unsorted = original.getAsJsonArray("unsorted_docs");
      JsonArray reRank = original.getAsJsonArray("re_rank_id");
      JsonArray sortedDocids = original.getAsJsonArray("sorted_docids");
      List<Passage> passages = new ArrayList<>();
      for (int position = 1; position <= unsorted.size(); position++) {
        int teacherRank = indexOf(reRank, position);
        passages.add(
            new Passage(
                sortedDocids.get(teacherRank).getAsString(),
                unsorted.get(position - 1).getAsString()));
      }
      List<RankedPassage> ranking = new ArrayList<>();
      for (JsonElement element :
          original.getAsJsonObject("reason").getAsJsonArray("ranked_passages")) {
        JsonObject entry = element.getAsJsonObject();
        ranking.add(
            new RankedPassage(
                entry.get("identifier").getAsInt() - 1,
                entry.get("direct_reason").getAsString(),
                entry.get("listwise_reason").getAsString(),
                entry.get("direct_answer_sentence").getAsString(),
                false));
      }
      LabellingInput input =
          new LabellingInput(
              original.get("qid").getAsString(), original.get("query").getAsString(), passages);
      JsonObject ours =
          TrainingRecord.toJson(
              input, new TeacherJudgement(ranking, "gpt-4", TokenUsage.NONE, List.of(), 0), "v");

      for (String field : original.keySet()) {
        assertTrue(ours.has(field), field);
        if (!field.equals("scores")) {
          assertEquals(original.get(field), ours.get(field), field + " of " + input.qid());
        }
      }
      assertEquals(unsorted.size(), ours.getAsJsonArray("scores").size());
    }
  }

  private static int indexOf(JsonArray array, int value) {
    for (int i = 0; i < array.size(); i++) {
      if (array.get(i).getAsInt() == value) {
        return i;
      }
    }
    throw new IllegalArgumentException(value + " not in " + array);
  }
}
