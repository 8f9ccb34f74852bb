package io.github.r2r.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped recipes parse, auxiliary tasks included. */
class TrainStudentRecipeTest {
  @Test
  void theMultiTaskRecipeDeclaresReasonsAndEvidenceNextToTheRankingSource() throws IOException {
    TrainStudent.Recipe recipe = TrainStudent.readRecipe(Path.of("recipes/student-multitask.json"));
    assertEquals(List.of("dl21"), recipe.sources.stream().map(s -> s.name).toList());
    assertEquals(List.of("reasons", "evidence"), recipe.tasks.stream().map(t -> t.task).toList());
    for (TrainStudent.Task task : recipe.tasks) {
      assertEquals(List.of("r2r-teacher/train-msmarco-500.jsonl"), task.paths);
      assertEquals(0.1f, task.weight);
      assertEquals(460, task.maxQueries, "the last 40 queries stay held out, as for TrainReasons");
    }
    TrainStudent.Recipe rankingOnly = TrainStudent.readRecipe(Path.of("recipes/student.json"));
    assertTrue(rankingOnly.tasks.isEmpty());
    assertEquals(rankingOnly.trainer.toJson(), recipe.trainer.toJson(), "the same trainer, so the two compare");
  }

  @Test
  void theBundledStudentsRecipeIsTheRankingRecipeInterpolatedHalfwayToItsInit() throws IOException {
    TrainStudent.Recipe bundled = TrainStudent.readRecipe(Path.of("recipes/bundled-student.json"));
    TrainStudent.Recipe ranking = TrainStudent.readRecipe(Path.of("recipes/student.json"));
    assertEquals(0.5, bundled.interpolateWithInit);
    assertEquals(1.0, ranking.interpolateWithInit, "no interpolation unless a recipe asks for it");
    assertEquals(ranking.trainer.toJson(), bundled.trainer.toJson());
    assertEquals(ranking.init, bundled.init);
  }

  @Test
  void anInterpolationOutsideZeroToOneIsRejected(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("recipe.json");
    Files.writeString(file, "{\"sources\": [{\"name\": \"dl21\", \"kind\": \"trec\"}], \"interpolateWithInit\": 1.5}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainStudent.readRecipe(file));
    assertTrue(e.getMessage().contains("interpolateWithInit must lie in [0, 1], got 1.5"), e.getMessage());
  }

  @Test
  void aRecipeWithoutSourcesIsRejected(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("recipe.json");
    Files.writeString(file, "{\"name\": \"x\", \"tasks\": [{\"task\": \"reasons\"}]}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainStudent.readRecipe(file));
    assertTrue(e.getMessage().endsWith("recipe has no sources"), e.getMessage());
  }
}
