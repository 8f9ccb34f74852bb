package io.github.r2r.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.r2r.training.train.TrainerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped recipes parse, auxiliary tasks included; a wrong recipe or a refused run writes nothing. */
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

  private static final String SOURCE = "{\"name\": \"dl21\", \"kind\": \"trec\", \"paths\": [\"trec-dl21-passage\"],"
      + " \"loss\": \"listnet-labels:1\"}";

  private static Path recipe(Path dir, String json) throws IOException {
    return Files.writeString(dir.resolve("recipe-" + json.hashCode() + ".json"), json);
  }

  private static String readError(Path dir, String json) throws IOException {
    Path file = recipe(dir, json);
    return assertThrows(IllegalArgumentException.class, () -> TrainStudent.readRecipe(file)).getMessage();
  }

  /** A DL21 folder of {@code queries} queries (qids q10, q11, ...), one judged candidate each. */
  private static Path tinyData(Path dir, int queries) throws IOException {
    Path dl21 = Files.createDirectories(dir.resolve("data/trec-dl21-passage"));
    StringBuilder tsv = new StringBuilder();
    StringBuilder candidates = new StringBuilder();
    StringBuilder qrels = new StringBuilder();
    for (int i = 0; i < queries; i++) {
      String qid = "q" + (10 + i);
      tsv.append(qid).append("\tquery ").append(i).append('\n');
      candidates.append("{\"qid\": \"").append(qid).append("\", \"query\": \"query ").append(i)
          .append("\", \"candidates\": [{\"docid\": \"d").append(i).append("\", \"text\": \"text ").append(i)
          .append("\", \"bm25_rank\": 1, \"bm25_score\": 1.0}]}\n");
      qrels.append(qid).append(" 0 d").append(i).append(" 1\n");
    }
    Files.writeString(dl21.resolve("queries.tsv"), tsv);
    Files.writeString(dl21.resolve("candidates.jsonl"), candidates);
    Files.writeString(dl21.resolve("qrels.txt"), qrels);
    return dir.resolve("data");
  }

  @Test
  void aRefusedResumeLeavesTheRunsRecipeAndTrainerConfigAsTheyWere(@TempDir Path dir) throws IOException {
    // OUT holds a checkpointed run of seed 1; the recipe now says seed 2.
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.writeString(out.resolve("recipe.json"), "the recipe of the checkpoint");
    Files.writeString(out.resolve("trainer-config.json"), "the config of the checkpoint");
    TrainerConfig saved = new TrainerConfig();
    saved.seed = 1;
    Path checkpoint = Files.createDirectories(out.resolve("work/checkpoint"));
    Files.writeString(checkpoint.resolve("state.json"), "{\"step\": 25, \"best_score\": 0.5, \"best_step\": 25,"
        + " \"skipped_steps\": 0, \"optimizer_steps\": 25, \"config\": " + saved.toJson() + "}");
    Path recipe = recipe(dir, "{\"devQueries\": 2, \"sources\": [" + SOURCE + "], \"trainer\": {\"seed\": 2}}");

    MainOutcome outcome = MainOutcome.of("usage", TrainStudent::run,
        "--recipe", recipe.toString(), "--out", out.toString(), "--data", tinyData(dir, 5).toString());

    assertEquals("the recipe of the checkpoint", Files.readString(out.resolve("recipe.json")));
    assertEquals("the config of the checkpoint", Files.readString(out.resolve("trainer-config.json")));
    assertEquals(1, outcome.status(), outcome.err());
    assertTrue(outcome.err().contains("differing in seed (checkpoint 1, now 2)"), outcome.err());
  }

  @Test
  void aCheckpointIsNotResumedUnderARecipeThatTrainsOnOtherSources(@TempDir Path dir) throws IOException {
    Path out = Files.createDirectories(dir.resolve("out"));
    String before = "{\"devQueries\": 2, \"sources\": [" + SOURCE + "]}";
    Files.writeString(out.resolve("recipe.json"), before);
    Path checkpoint = Files.createDirectories(out.resolve("work/checkpoint"));
    Files.writeString(checkpoint.resolve("state.json"), "{\"step\": 25, \"best_score\": 0.5, \"best_step\": 25,"
        + " \"skipped_steps\": 0, \"optimizer_steps\": 25, \"config\": " + new TrainerConfig().toJson() + "}");
    // The same trainer config, but another loss and dev split (the name alone may change).
    Path recipe = recipe(dir, "{\"name\": \"renamed\", \"devQueries\": 3, \"sources\": ["
        + SOURCE.replace("listnet-labels:1", "ranknet-labels") + "]}");

    MainOutcome outcome = MainOutcome.of("usage", TrainStudent::run,
        "--recipe", recipe.toString(), "--out", out.toString(), "--data", tinyData(dir, 5).toString());

    assertEquals(before, Files.readString(out.resolve("recipe.json")));
    assertEquals(1, outcome.status(), outcome.err());
    assertTrue(outcome.err().contains("was trained under " + out.resolve("recipe.json") + ", which differs from "
        + recipe + " in devQueries, sources: resuming would mix two runs"), outcome.err());
  }

  @Test
  void aSourceFileThatIsMissingIsNamedBeforeAnythingIsWritten(@TempDir Path dir) throws IOException {
    Path recipe = recipe(dir, "{\"devQueries\": 2, \"sources\": [" + SOURCE + ", {\"name\": \"r2r\", \"kind\": \"r2r\","
        + " \"paths\": [\"r2r-teacher/none.jsonl\"], \"loss\": \"listnet-ranks\"}]}");
    Path data = tinyData(dir, 5);
    MainOutcome outcome = MainOutcome.of("usage", TrainStudent::run,
        "--recipe", recipe.toString(), "--out", dir.resolve("out").toString(), "--data", data.toString());
    assertEquals(1, outcome.status(), outcome.err());
    assertTrue(outcome.err().contains("source 'r2r' reads " + data.resolve("r2r-teacher/none.jsonl")
        + ", which does not exist"), outcome.err());
    assertFalse(Files.exists(dir.resolve("out")));
  }

  @Test
  void aLossSpecThatDoesNotParseIsNamedWithItsSource(@TempDir Path dir) throws IOException {
    Path recipe = recipe(dir, "{\"devQueries\": 2, \"sources\": [" + SOURCE.replace("listnet-labels:1", "listnot") + "]}");
    MainOutcome outcome = MainOutcome.of("usage", TrainStudent::run,
        "--recipe", recipe.toString(), "--out", dir.resolve("out").toString(), "--data", tinyData(dir, 5).toString());
    assertEquals(1, outcome.status(), outcome.err());
    assertTrue(outcome.err().contains("source 'dl21': unknown loss term 'listnot'"), outcome.err());
    assertFalse(Files.exists(dir.resolve("out")));
  }

  @Test
  void aWrongRecipeOrDevQueryCountWritesNoOutputDirectory(@TempDir Path dir) throws IOException {
    Path data = tinyData(dir, 5);
    List<String> recipes = List.of(
        "{\"init\": \"e5-tiny\", \"sources\": [" + SOURCE + "]}",
        "{\"scoring\": \"BIENCODER\", \"sources\": [" + SOURCE + "]}",
        "{\"devQueries\": 5, \"sources\": [" + SOURCE + "]}",
        "{\"devQueries\": -1, \"sources\": [" + SOURCE + "]}");
    List<String> errors = new ArrayList<>();
    for (String json : recipes) {
      Path out = dir.resolve("out-" + errors.size());
      MainOutcome outcome = MainOutcome.of("usage", TrainStudent::run,
          "--recipe", recipe(dir, json).toString(), "--out", out.toString(), "--data", data.toString());
      errors.add(outcome.err());
      assertEquals(1, outcome.status(), json + ": " + outcome.err());
      assertFalse(Files.exists(out), json + " left " + out);
    }
    assertTrue(errors.get(0).contains("init 'e5-tiny' is not a pretrained encoder name"), errors.get(0));
    assertTrue(errors.get(1).contains("scoring must be BI_ENCODER or CROSS_ENCODER, got 'BIENCODER'"), errors.get(1));
    assertTrue(errors.get(2).contains("devQueries must be in [0, 4] (DL21 has 5 queries; 0: no dev set), got 5"),
        errors.get(2));
    assertTrue(errors.get(3).contains("devQueries must be in [0, 4] (DL21 has 5 queries; 0: no dev set), got -1"),
        errors.get(3));
  }

  @Test
  void anUnknownScoringModeIsNamedWithTheModesThereAre(@TempDir Path dir) throws IOException {
    String error = readError(dir, "{\"scoring\": \"BIENCODER\", \"sources\": [" + SOURCE + "]}");
    assertTrue(error.endsWith("scoring must be BI_ENCODER or CROSS_ENCODER, got 'BIENCODER'"), error);
  }

  @Test
  void aSourceWithoutAKindOrLossOrNameIsNamedWithTheFieldItLacks(@TempDir Path dir) throws IOException {
    String noKind = readError(dir, "{\"sources\": [{\"name\": \"dl21\", \"paths\": [\"x\"], \"loss\": \"listnet\"}]}");
    assertTrue(noKind.endsWith("source 'dl21' has no 'kind' (trec, r2r, free-text or teacher-run)"), noKind);
    String badKind = readError(dir,
        "{\"sources\": [{\"name\": \"dl21\", \"kind\": \"tsv\", \"paths\": [\"x\"], \"loss\": \"listnet\"}]}");
    assertTrue(badKind.endsWith("source 'dl21' has kind 'tsv': it must be trec, r2r, free-text or teacher-run"), badKind);
    String noLoss = readError(dir, "{\"sources\": [{\"name\": \"dl21\", \"kind\": \"trec\", \"paths\": [\"x\"]}]}");
    assertTrue(noLoss.endsWith("source 'dl21' has no 'loss'"), noLoss);
    String noName = readError(dir, "{\"sources\": [" + SOURCE + ", {\"kind\": \"trec\"}]}");
    assertTrue(noName.endsWith("source 2 has no 'name'"), noName);
    String noRun = readError(dir,
        "{\"sources\": [{\"name\": \"t\", \"kind\": \"teacher-run\", \"paths\": [\"x\"], \"loss\": \"listnet\"}]}");
    assertTrue(noRun.endsWith("source 't' of kind teacher-run has no 'run' file"), noRun);
    String twice = readError(dir, "{\"sources\": [" + SOURCE + ", " + SOURCE + "]}");
    assertTrue(twice.endsWith("two sources are named 'dl21'"), twice);
  }

  @Test
  void unknownKeysOfTheRecipeAndOfASourceAreRejectedByName(@TempDir Path dir) throws IOException {
    String topLevel = readError(dir, "{\"sourcez\": [" + SOURCE + "]}");
    assertTrue(topLevel.contains("recipe has an unknown key 'sourcez'"), topLevel);
    String inSource = readError(dir, "{\"sources\": [{\"name\": \"dl21\", \"kind\": \"trec\", \"paths\": [\"x\"],"
        + " \"loss\": \"listnet\", \"lists\": 3}]}");
    assertTrue(inSource.contains("source 'dl21' has an unknown key 'lists' (known: name, kind, "), inSource);
    String inTask = readError(dir, "{\"sources\": [" + SOURCE + "], \"tasks\": [{\"task\": \"reasons\","
        + " \"paths\": [\"x\"], \"wieght\": 1}]}");
    assertTrue(inTask.contains("task 'reasons' has an unknown key 'wieght'"), inTask);
    String badTask = readError(dir, "{\"sources\": [" + SOURCE + "], \"tasks\": [{\"task\": \"rank\", \"paths\": [\"x\"]}]}");
    assertTrue(badTask.endsWith("task 'rank' is not reasons or evidence"), badTask);
  }

  @Test
  void aNegativeOrNonNumericStepCountIsAUsageError(@TempDir Path dir) throws IOException {
    Path recipe = recipe(dir, "{\"sources\": [" + SOURCE + "]}");
    MainOutcome outcome = MainOutcome.of("usage", TrainStudent::run,
        "--recipe", recipe.toString(), "--out", dir.resolve("out").toString(), "--data", dir.toString(), "--steps", "-5");
    assertEquals(2, outcome.status(), outcome.err());
    assertTrue(outcome.err().startsWith("--steps must be positive, got -5"), outcome.err());
    assertFalse(Files.exists(dir.resolve("out")));
  }

  @Test
  void anOutputThatIsAFileOrUnderAFileIsAUsageError(@TempDir Path dir) throws IOException {
    Path recipe = recipe(dir, "{\"sources\": [" + SOURCE + "]}");
    Path file = Files.writeString(dir.resolve("file"), "x");
    MainOutcome onFile = MainOutcome.of("usage", TrainStudent::run,
        "--recipe", recipe.toString(), "--out", file.toString(), "--data", dir.toString());
    assertEquals(2, onFile.status(), onFile.err());
    assertTrue(onFile.err().startsWith("--out " + file + " exists and is not a directory"), onFile.err());
    MainOutcome missing = MainOutcome.of("usage", TrainStudent::run,
        "--recipe", recipe.toString(), "--out", file.resolve("out").toString(), "--data", dir.toString());
    assertEquals(2, missing.status(), missing.err());
    assertTrue(missing.err().startsWith("--out " + file.resolve("out") + ": " + file + " is not a directory"), missing.err());
  }

  @Test
  void theShippedRecipesPassEveryCheck() throws IOException {
    try (var files = Files.list(Path.of("recipes"))) {
      for (Path file : files.filter(f -> f.getFileName().toString().startsWith("student")
          || f.getFileName().toString().startsWith("bundled")).toList()) {
        assertFalse(TrainStudent.readRecipe(file).sources.isEmpty(), file.toString());
      }
    }
  }
}
