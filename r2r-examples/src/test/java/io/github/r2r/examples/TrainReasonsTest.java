package io.github.r2r.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.r2r.training.data.TrainingPassage;
import io.github.r2r.training.data.TrainingQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainReasonsTest {
  private static final String FLEA_WINDOW =
      "{\"query\": \"what is a flea\", \"unsorted_docs\": [\"Fleas are small insects.\", \"Cats sleep.\"],"
          + " \"re_rank_id\": [\"1\", \"2\"], \"scores\": [\"1\", \"0\"], \"reason\": \"[1] > [2]\\n\\nReasoning:\\n"
          + "- Passage [1] is ranked first because it defines fleas.\\n- Passage [2] is less relevant than [1].\"}";
  private static final String EVEREST_WINDOW =
      "{\"query\": \"how tall is everest\", \"unsorted_docs\": [\"K2 is in Pakistan.\", \"Everest is 8,849 m.\"],"
          + " \"re_rank_id\": [\"2\", \"1\"], \"scores\": [\"0\", \"1\"], \"reason\": \"[2] > [1]\\n\\nReasoning:\\n"
          + "- Passage [2] gives the height.\\n- Passage [1] is about another mountain.\"}";

  @Test
  void freeTextWindowsOfHeldOutQueriesAreLeftOutAndTheRestFramedAsPointwiseReasons(@TempDir Path dir)
      throws IOException {
    Path first = dir.resolve("a.jsonl");
    Path second = dir.resolve("b.jsonl");
    Files.writeString(first, FLEA_WINDOW + "\n" + EVEREST_WINDOW + "\n");
    Files.writeString(second, FLEA_WINDOW + "\n");
    TrainingQuery heldOut = TrainingQuery.of("q9", " what is a flea ",
        List.of(TrainingPassage.builder("p", "Fleas are small insects.").build()), "r2r");

    List<TrainingQuery> windows = TrainReasons.freeTextQueries(first + "," + second, List.of(heldOut));

    assertEquals(1, windows.size());
    TrainingQuery everest = windows.get(0);
    assertEquals("how tall is everest", everest.query());
    assertEquals(Optional.of(List.of(1, 0)), everest.teacherOrder());
    assertEquals(Optional.of("This passage gives the height."), everest.passages().get(1).pointwiseReason());
    assertEquals(Optional.of("This passage is about another mountain."), everest.passages().get(0).pointwiseReason());
  }

  @Test
  void trainingOnFreeTextNeedsFreeTextFiles(@TempDir Path dir) {
    IllegalArgumentException e = assertThrows(UsageException.class, () -> TrainReasons.run(new String[] {
        "--data", dir.resolve("none.jsonl").toString(), "--out", dir.toString(), "--work", dir.toString(),
        "--train-on", "free-text"}));
    assertTrue(e.getMessage().startsWith("--train-on free-text needs --free-text FILE,..."), e.getMessage());
  }

  @Test
  void anUnknownTrainingSetIsRejected(@TempDir Path dir) {
    IllegalArgumentException e = assertThrows(UsageException.class, () -> TrainReasons.run(new String[] {
        "--data", dir.resolve("none.jsonl").toString(), "--out", dir.toString(), "--work", dir.toString(),
        "--train-on", "teacher"}));
    assertTrue(e.getMessage().startsWith("--train-on must be data, free-text or both, got 'teacher'"), e.getMessage());
  }
}
