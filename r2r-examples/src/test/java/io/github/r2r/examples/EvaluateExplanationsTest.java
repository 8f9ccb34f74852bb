package io.github.r2r.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.r2r.eval.RougeL;
import io.github.r2r.generate.DecodingOptions;
import io.github.r2r.model.BertConfig;
import io.github.r2r.model.ModelConfig;
import io.github.r2r.model.Pooling;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.model.io.DType;
import java.io.InputStream;
import java.nio.file.Files;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole program on a hand-written two-passage file, with the bundled model. */
class EvaluateExplanationsTest {
  @Test
  void writesTheMetricsOfEvidenceAndBaselines(@TempDir Path dir) throws Exception {
    Path data = Path.of(getClass().getResource("/data/explanations-sample.jsonl").toURI());
    Path json = dir.resolve("out.json");
    EvaluateExplanations.run(
        new String[] {"--data", data.toString(), "--json", json.toString(), "--reasons", "none"});
    JsonObject result = JsonParser.parseString(Files.readString(json)).getAsJsonObject();

    assertTrue(result.get("rougeL_pointwise").isJsonNull());
    assertTrue(result.get("rougeL_comparative").isJsonNull());
    assertEquals(2, result.get("passages").getAsInt());
    // The second passage's teacher sentence is the placeholder "Not applicable".
    assertEquals(1, result.get("evidence_passages").getAsInt());
    // The first passage has one sentence of at least 8 words, the teacher's; its lead is a title.
    assertEquals(1.0, result.get("evidence_accuracy").getAsDouble());
    assertEquals(1.0, result.get("groundedness").getAsDouble());
    JsonObject baseline = result.getAsJsonObject("baseline");
    assertEquals(0.0, baseline.get("evidence_accuracy").getAsDouble());
    // Template vs teacher reason, LCS "this passage fleas live" = 4 of 15 and 10 words: F1 0.32;
    // second passage, LCS "this passage about fleas" = 4 of 17 and 7 words: F1 1/3.
    assertEquals((0.32 + 1.0 / 3) / 2, baseline.get("rougeL_pointwise").getAsDouble(), 1e-9);
  }

  @Test
  void scoresTheBundledDecodersReasons(@TempDir Path dir) throws Exception {
    Path data = Path.of(getClass().getResource("/data/explanations-sample.jsonl").toURI());
    Path json = dir.resolve("out.json");
    EvaluateExplanations.run(new String[] {
        "--data", data.toString(), "--json", json.toString(), "--evidence", "none", "--beam", "1",
        "--length-penalty", "1.5"});
    JsonObject result = JsonParser.parseString(Files.readString(json)).getAsJsonObject();

    // Both passages have a teacher reason; the one adjacent pair has the upper passage's.
    assertEquals(2, result.get("pointwise_reasons").getAsInt());
    assertEquals(1, result.get("comparative_reasons").getAsInt());
    for (String metric : new String[] {"rougeL_pointwise", "rougeL_comparative", "groundedness"}) {
      assertFalse(result.get(metric).isJsonNull(), metric + " is scored");
      double value = result.get(metric).getAsDouble();
      assertTrue(value >= 0 && value <= 1, metric + " = " + value);
    }
    // The decoder copies the query's words, so its reasons are partly grounded.
    assertTrue(result.get("groundedness_pointwise").getAsDouble() > 0);
    assertTrue(result.get("evidence_accuracy").isJsonNull(), "--evidence none");
    assertEquals(1, result.getAsJsonObject("decoding").get("beamSize").getAsInt());
    assertEquals(1.5, result.getAsJsonObject("decoding").get("lengthPenalty").getAsDouble());
    // "This passage says adult fleas live two to three months." and "This passage is about pets,
    // not fleas.": 10 and 7 words
    assertEquals(8.5, result.get("teacher_mean_words_pointwise").getAsDouble(), 1e-9);
    assertTrue(result.get("mean_words_pointwise").getAsDouble() > 0);
  }
  @Test
  void dumpsEveryReasonNextToTheTeachersAndAgreesWithTheMeans(@TempDir Path dir) throws Exception {
    Path data = Path.of(getClass().getResource("/data/explanations-sample.jsonl").toURI());
    Path json = dir.resolve("out.json");
    Path dump = dir.resolve("reasons.jsonl");
    EvaluateExplanations.run(new String[] {
        "--data", data.toString(), "--json", json.toString(), "--beam", "1", "--dump", dump.toString()});
    JsonObject result = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    List<JsonObject> lines = Files.readAllLines(dump).stream()
        .map(line -> JsonParser.parseString(line).getAsJsonObject())
        .toList();

    assertEquals(3, lines.size(), "2 pointwise + 1 comparative reason");
    double pointwiseSum = 0;
    for (JsonObject line : lines) {
      boolean pointwise = line.get("kind").getAsString().equals("pointwise");
      assertEquals(pointwise ? 1 : 2, line.getAsJsonArray("passage_ids").size());
      assertFalse(line.get("r2r").getAsString().isBlank());
      assertFalse(line.get("teacher").getAsString().isBlank());
      // each line's ROUGE-L is the metric of its own two texts
      assertEquals(RougeL.of(line.get("r2r").getAsString(), line.get("teacher").getAsString()).f1(),
          line.get("rougeL").getAsDouble(), 1e-12);
      // evidence was asked for, so a pointwise line carries its passage's evidence sentence
      assertEquals(pointwise, !line.get("r2r_evidence").isJsonNull(), line.toString());
      if (pointwise) {
        pointwiseSum += line.get("rougeL").getAsDouble();
      }
    }
    assertEquals(result.get("rougeL_pointwise").getAsDouble(), pointwiseSum / 2, 1e-12);
  }

  private static CommandLine decodingOptions(String... args) {
    return new CommandLine(args, Set.of("beam", "copy-bias", "length-penalty", "immediate-repeats", "no-repeat-ngram",
        "whole-word-copies", "grounded-words", "max-ungrounded-words", "max-word-occurrences"));
  }

  @Test
  void wordOccurrencesAreLimitedByNumberOrUnlimited() {
    assertEquals(2, EvaluateExplanations.decoding(decodingOptions()).maxWordOccurrences(), "the library's default");
    assertEquals(3, EvaluateExplanations.decoding(decodingOptions("--max-word-occurrences", "3")).maxWordOccurrences());
    assertEquals(DecodingOptions.UNLIMITED,
        EvaluateExplanations.decoding(decodingOptions("--max-word-occurrences", "unlimited")).maxWordOccurrences());
    assertEquals(DecodingOptions.UNLIMITED,
        EvaluateExplanations.decoding(decodingOptions("--max-ungrounded-words", "unlimited")).maxUngroundedWords());
    assertEquals("--max-word-occurrences must be positive, got 0", assertThrows(UsageException.class,
        () -> EvaluateExplanations.decoding(decodingOptions("--max-word-occurrences", "0"))).getMessage());
    assertTrue(EvaluateExplanations.decodingJson(DecodingOptions.defaults().withMaxWordOccurrences(DecodingOptions.UNLIMITED))
        .get("maxWordOccurrences").isJsonNull());
    assertEquals(2, EvaluateExplanations.decodingJson(DecodingOptions.defaults().withMaxWordOccurrences(2))
        .get("maxWordOccurrences").getAsInt());
  }

  @Test
  void theResultRecordsNoLimitOnUngroundedWordsAsNull() {
    assertTrue(EvaluateExplanations.decodingJson(DecodingOptions.defaults()).get("maxUngroundedWords").isJsonNull());
    assertEquals(2, EvaluateExplanations.decodingJson(DecodingOptions.defaults().withMaxUngroundedWords(2))
        .get("maxUngroundedWords").getAsInt());
    assertEquals(4, EvaluateExplanations.decodingJson(DecodingOptions.defaults()).get("beamSize").getAsInt());
  }

  @Test
  void ungroundedWordsAreLimitedByNumberOrGroundedWordsOnButNotBoth() {
    assertEquals(2, EvaluateExplanations.decoding(decodingOptions("--max-ungrounded-words", "2")).maxUngroundedWords());
    assertEquals(0, EvaluateExplanations.decoding(decodingOptions("--grounded-words", "on")).maxUngroundedWords());
    assertEquals("--grounded-words on is --max-ungrounded-words 0: give one of them", assertThrows(UsageException.class,
        () -> EvaluateExplanations.decoding(decodingOptions("--grounded-words", "on", "--max-ungrounded-words", "2")))
        .getMessage());
    UsageException negative = assertThrows(UsageException.class,
        () -> EvaluateExplanations.decoding(decodingOptions("--max-ungrounded-words", "-1")));
    assertTrue(negative.getMessage().contains("--max-ungrounded-words"), negative.getMessage());
  }

  @Test
  void decodingKeepsTheLibraryDefaultsForEveryOptionNotGiven() {
    assertEquals(DecodingOptions.defaults(), EvaluateExplanations.decoding(decodingOptions()));
    DecodingOptions given = EvaluateExplanations.decoding(decodingOptions(
        "--copy-bias", "0.5", "--length-penalty", "1.5", "--immediate-repeats", "allowed"));
    assertEquals(DecodingOptions.defaults().withCopyBias(0.5f).withLengthPenalty(1.5).withNoImmediateRepeat(false), given);
  }

  @Test
  void badDecodingValuesAreUsageErrorsThatNameTheOptionAndTheValue() {
    assertEquals("--copy-bias must be a number, got 'strong'", assertThrows(UsageException.class,
        () -> EvaluateExplanations.decoding(decodingOptions("--copy-bias", "strong"))).getMessage());
    assertEquals("--length-penalty must be a number, got '1,5'", assertThrows(UsageException.class,
        () -> EvaluateExplanations.decoding(decodingOptions("--length-penalty", "1,5"))).getMessage());
    assertEquals("--immediate-repeats must be banned or allowed, got 'yes'", assertThrows(UsageException.class,
        () -> EvaluateExplanations.decoding(decodingOptions("--immediate-repeats", "yes"))).getMessage());
    // A number out of the library's range: its message names the setting.
    UsageException negative = assertThrows(UsageException.class,
        () -> EvaluateExplanations.decoding(decodingOptions("--copy-bias", "-1")));
    assertTrue(negative.getMessage().startsWith("decoding options: copyBias must be a finite non-negative number"),
        negative.getMessage());
  }

  @Test
  void theProgramChecksItsDecodingOptionsBeforeReadingTheData(@TempDir Path dir) {
    UsageException e = assertThrows(UsageException.class, () -> EvaluateExplanations.run(new String[] {
        "--data", dir.resolve("none.jsonl").toString(), "--json", dir.resolve("out.json").toString(),
        "--copy-bias", "strong"}));
    assertEquals("--copy-bias must be a number, got 'strong'", e.getMessage());
  }

  private static Path sample() throws Exception {
    return Path.of(EvaluateExplanationsTest.class.getResource("/data/explanations-sample.jsonl").toURI());
  }

  private static String usageError(String... args) {
    return assertThrows(UsageException.class, () -> EvaluateExplanations.run(args)).getMessage();
  }

  @Test
  void outputFilesAreCheckedBeforeTheDataIsRead(@TempDir Path dir) throws IOException {
    Path missing = Files.writeString(dir.resolve("missing"), "a file, not a directory").resolve("out.jsonl");
    String none = dir.resolve("none.jsonl").toString();
    String json = usageError("--data", none, "--json", missing.toString());
    assertTrue(json.startsWith("--json " + missing + ": " + dir.resolve("missing") + " is not a directory"), json);
    String dump = usageError("--data", none, "--json", dir.resolve("out.json").toString(), "--dump", missing.toString());
    assertTrue(dump.startsWith("--dump " + missing + ": " + dir.resolve("missing") + " is not a directory"), dump);
  }

  @Test
  void aDumpNeedsReasons(@TempDir Path dir) throws Exception {
    Path dump = dir.resolve("reasons.jsonl");
    assertEquals("--dump writes the generated reasons, which --reasons none turns off", usageError(
        "--data", dir.resolve("none.jsonl").toString(), "--json", dir.resolve("out.json").toString(),
        "--reasons", "none", "--dump", dump.toString()));
    // A model directory without a reason decoder: refused once the model is loaded, before the evaluation.
    Path model = dir.resolve("model");
    ModelConfig config = new ModelConfig("tiny-no-reasons", new BertConfig(30522, 32, 2, 2, 64, 64, 2, 1e-12f),
        ScoringMode.BI_ENCODER, Pooling.MEAN, "", "", 64);
    try (InputStream in = getClass().getResourceAsStream("/e5-small-v2-tokenizer.json");
        RankingModel ranking = RankingModel.initialized(config, in.readAllBytes(), Device.cpu(), 3)) {
      ranking.save(model, DType.F32, "# tiny\n");
    }
    String message = usageError("--data", sample().toString(), "--json", dir.resolve("out.json").toString(),
        "--model", model.toString(), "--evidence", "none", "--dump", dump.toString());
    assertTrue(message.startsWith("--dump writes the generated reasons, but model " + model + " has no reason decoder"),
        message);
    assertFalse(Files.exists(dump));
    assertFalse(Files.exists(dir.resolve("out.json")));
  }

  @Test
  void numericOptionsAreRangeCheckedByName(@TempDir Path dir) {
    String none = dir.resolve("none.jsonl").toString();
    String json = dir.resolve("out.json").toString();
    assertEquals("--skip must be zero or more, got -1", usageError("--data", none, "--json", json, "--skip", "-1"));
    assertEquals("--examples must be zero or more, got -2",
        usageError("--data", none, "--json", json, "--examples", "-2"));
    assertEquals("--beam must be in [1, " + DecodingOptions.MAX_BEAM_SIZE + "], got 0",
        usageError("--data", none, "--json", json, "--beam", "0"));
    assertEquals("--no-repeat-ngram must be zero or more, got -1",
        usageError("--data", none, "--json", json, "--no-repeat-ngram", "-1"));
    assertEquals("--evidence must be auto, head, zero-shot or none, got 'all'",
        usageError("--data", none, "--json", json, "--evidence", "all"));
  }

  @Test
  void aFileWithoutQueriesOrASkipPastThemAllIsNamed(@TempDir Path dir) throws Exception {
    Path empty = dir.resolve("empty.jsonl");
    Files.writeString(empty, "");
    Path json = dir.resolve("out.json");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EvaluateExplanations.run(new String[] {"--data", empty.toString(), "--json", json.toString()}));
    assertEquals(empty + " has no queries to evaluate", e.getMessage());
    assertFalse(e instanceof UsageException, "the file is wrong, not the arguments");
    assertEquals("--skip 1 leaves none of the 1 queries of " + sample() + ": it must be less than 1",
        usageError("--data", sample().toString(), "--json", json.toString(), "--skip", "1"));
    assertFalse(Files.exists(json));
  }
}
