package io.github.r2r.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.github.r2r.model.BertConfig;
import io.github.r2r.model.ModelConfig;
import io.github.r2r.model.Pooling;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.model.io.DType;
import io.github.r2r.training.data.TrainingPassage;
import io.github.r2r.training.data.TrainingQuery;
import io.github.r2r.training.train.ReasonTrainerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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

  /** {@code count} Reason-to-Rank teacher windows of two passages with their reasons. */
  static Path teacherFile(Path dir, int count) throws IOException {
    StringBuilder lines = new StringBuilder();
    for (int q = 0; q < count; q++) {
      lines.append("{\"qid\": \"q").append(q).append("\", \"query\": \"query number ").append(q)
          .append("\", \"sorted_docids\": [\"a").append(q).append("\", \"b").append(q).append("\"],")
          .append(" \"re_rank_id\": [1, 2], \"unsorted_docs\": [\"The first passage ").append(q)
          .append(" answers it.\", \"The second one does not.\"], \"scores\": [1, 0], \"reason\": {\"ranked_passages\": [")
          .append("{\"identifier\": 1, \"direct_reason\": \"It answers the query.\", \"listwise_reason\": \"It is better.\",")
          .append(" \"direct_answer_sentence\": \"The first passage answers it.\"},")
          .append(" {\"identifier\": 2, \"direct_reason\": \"It does not answer.\", \"listwise_reason\": \"It is worse.\",")
          .append(" \"direct_answer_sentence\": \"\"}]}}\n");
    }
    return Files.writeString(dir.resolve("teacher.jsonl"), lines);
  }

  static Path tinyModel(Path dir) throws IOException {
    Path model = dir.resolve("model");
    ModelConfig config = new ModelConfig("tiny-reasons", new BertConfig(30522, 32, 2, 2, 64, 64, 2, 1e-12f),
        ScoringMode.BI_ENCODER, Pooling.MEAN, "", "", 64);
    try (InputStream in = TrainReasonsTest.class.getResourceAsStream("/e5-small-v2-tokenizer.json");
        RankingModel ranking = RankingModel.initialized(config, in.readAllBytes(), Device.cpu(), 3)) {
      ranking.save(model, DType.F32, "# tiny\n");
    }
    return model;
  }

  private static ReasonTrainerConfig tinyConfig(long seed) {
    ReasonTrainerConfig config = new ReasonTrainerConfig();
    config.steps = 2;
    config.batchSize = 2;
    config.decoderLayers = 1;
    config.maxReasonTokens = 16;
    config.maxInputTokens = 48;
    config.seed = seed;
    return config;
  }

  @Test
  void aRefusedResumeLeavesTheWorkDirectorysConfigAsItWas(@TempDir Path dir) throws IOException {
    Path work = Files.createDirectories(dir.resolve("work"));
    Files.writeString(work.resolve("config.json"), "the config of the checkpoint");
    Path checkpoint = Files.createDirectories(work.resolve("checkpoint"));
    Files.writeString(checkpoint.resolve("state.json"), "{\"step\": 1, \"best_score\": null, \"best_step\": 0,"
        + " \"skipped_steps\": 0, \"optimizer_steps\": 1, \"config\": " + tinyConfig(1).toJson() + "}");
    Path config = Files.writeString(dir.resolve("config.json"), tinyConfig(2).toJson());

    MainOutcome outcome = MainOutcome.of("usage", TrainReasons::run, "--data", teacherFile(dir, 6).toString(),
        "--out", dir.resolve("out").toString(), "--work", work.toString(), "--config", config.toString(),
        "--model", tinyModel(dir).toString(), "--dev-queries", "2");

    assertEquals("the config of the checkpoint", Files.readString(work.resolve("config.json")));
    assertEquals(1, outcome.status(), outcome.err());
    assertTrue(outcome.err().contains("differing in seed (checkpoint 1, now 2)"), outcome.err());
    assertFalse(Files.exists(dir.resolve("out")));
  }

  @Test
  void noDevQueriesKeepTheLastStepAndSaySoInsteadOfABestNaN(@TempDir Path dir) throws IOException {
    Path config = Files.writeString(dir.resolve("config.json"), tinyConfig(2).toJson());
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    MainOutcome outcome;
    try {
      outcome = MainOutcome.of("usage", TrainReasons::run, "--data", teacherFile(dir, 3).toString(),
          "--out", dir.resolve("out").toString(), "--work", dir.resolve("work").toString(),
          "--config", config.toString(), "--model", tinyModel(dir).toString(), "--dev-queries", "0");
    } finally {
      System.setOut(stdout);
    }
    String line = printed.toString(StandardCharsets.UTF_8);
    assertEquals(0, outcome.status(), outcome.err());
    assertFalse(line.contains("NaN"), line);
    assertTrue(line.startsWith("no dev set (--dev-queries 0): the last step's decoder (step 2, 0 skipped steps) kept"),
        line);
    assertTrue(Files.isRegularFile(dir.resolve("out/reasons.safetensors")));
  }

  @Test
  void aNegativeDevQueryCountAndAnOutputThatIsAFileAreUsageErrors(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "x");
    Path data = dir.resolve("none.jsonl");
    MainOutcome negative = MainOutcome.of("usage", TrainReasons::run, "--data", data.toString(),
        "--out", dir.resolve("out").toString(), "--work", dir.resolve("work").toString(), "--dev-queries", "-1");
    assertEquals(2, negative.status(), negative.err());
    assertTrue(negative.err().startsWith("--dev-queries must be zero or more, got -1"), negative.err());
    for (String flag : List.of("--out", "--work")) {
      List<String> args = new java.util.ArrayList<>(List.of("--data", data.toString(),
          "--out", dir.resolve("out").toString(), "--work", dir.resolve("work").toString()));
      args.set(args.indexOf(flag) + 1, file.toString());
      MainOutcome onFile = MainOutcome.of("usage", TrainReasons::run, args.toArray(String[]::new));
      assertEquals(2, onFile.status(), onFile.err());
      assertTrue(onFile.err().startsWith(flag + " " + file + " exists and is not a directory"), onFile.err());
    }
    MainOutcome missingParent = MainOutcome.of("usage", TrainReasons::run, "--data", data.toString(),
        "--out", file.resolve("out").toString(), "--work", dir.resolve("work").toString());
    assertEquals(2, missingParent.status(), missingParent.err());
    assertTrue(missingParent.err().startsWith("--out " + file.resolve("out") + ": " + file + " is not a directory"), missingParent.err());
  }
}
