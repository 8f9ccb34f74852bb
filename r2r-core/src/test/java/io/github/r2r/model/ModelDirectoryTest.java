package io.github.r2r.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.github.r2r.model.io.DType;
import io.github.r2r.model.io.MalformedWeightsException;
import io.github.r2r.model.io.SafeTensors;
import io.github.r2r.model.io.Tensor;
import io.github.r2r.text.InputSequence;
import io.github.r2r.text.SequenceBuilder;
import io.github.r2r.text.TextTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving and loading model directories, and the errors for directories that do not fit. */
class ModelDirectoryTest {
  private static final BertConfig TINY = new BertConfig(30522, 32, 2, 2, 64, 64, 2, 1e-12f);
  private static byte[] tokenizerJson;

  @BeforeAll
  static void readTokenizer() throws IOException {
    try (InputStream in = ModelDirectoryTest.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
      tokenizerJson = in.readAllBytes();
    }
  }

  private static ModelConfig config(ScoringMode scoring) {
    return new ModelConfig("tiny", TINY, scoring, Pooling.MEAN, "q: ", "p: ", 64);
  }

  private static List<InputSequence> inputs(RankingModel model) {
    TextTokenizer tokenizer = model.tokenizer();
    SequenceBuilder builder = new SequenceBuilder(tokenizer.clsId(), tokenizer.sepId(), 64);
    return List.of(
        builder.pairWindows(tokenizer.tokenize("a query"), tokenizer.tokenize("some document text"), 64, 64, 1).get(0),
        builder.pairWindows(tokenizer.tokenize("another"), tokenizer.tokenize("short"), 64, 64, 1).get(0));
  }

  @Test
  void crossEncoderRoundTripsThroughAModelDirectoryWithHfNames(@TempDir Path dir) throws IOException {
    try (RankingModel model = RankingModel.initialized(config(ScoringMode.CROSS_ENCODER), tokenizerJson, Device.cpu(), 7)) {
      float[] before = model.crossScores(inputs(model));
      model.save(dir, DType.F32, "# card\n");
      Map<String, Tensor> saved = SafeTensors.read(dir.resolve("model.safetensors")).tensors();
      // The layout of HF BertForSequenceClassification with one label.
      assertTrue(saved.containsKey("bert.embeddings.word_embeddings.weight"));
      assertTrue(saved.containsKey("bert.encoder.layer.1.output.LayerNorm.bias"));
      assertTrue(saved.containsKey("bert.pooler.dense.weight"));
      assertArrayEquals(new long[] {1, 32}, saved.get("classifier.weight").shape());
      try (RankingModel loaded = RankingModel.load(dir, Device.cpu())) {
        assertEquals(ScoringMode.CROSS_ENCODER, loaded.config().scoring());
        assertArrayEquals(before, loaded.crossScores(inputs(loaded)), 0f);
      }
    }
  }

  @Test
  void configNamesTheHfClassThatLoadsTheWeights() {
    // Without id2label, transformers builds a two-label classifier and refuses our one-row
    // classifier.weight (seen with transformers 5.17, docs/gpu.md).
    com.google.gson.JsonObject cross = config(ScoringMode.CROSS_ENCODER).toJson();
    assertEquals("BertForSequenceClassification", cross.getAsJsonArray("architectures").get(0).getAsString());
    assertEquals(1, cross.getAsJsonObject("id2label").size());
    assertEquals(0, cross.getAsJsonObject("label2id").get("LABEL_0").getAsInt());
    com.google.gson.JsonObject bi = config(ScoringMode.BI_ENCODER).toJson();
    assertEquals("BertModel", bi.getAsJsonArray("architectures").get(0).getAsString());
    assertTrue(!bi.has("id2label"));
    assertEquals(config(ScoringMode.CROSS_ENCODER), ModelConfig.fromJson(cross));
  }

  @Test
  void fp16DirectoryLoadsWithinHalfPrecision(@TempDir Path dir) throws IOException {
    try (RankingModel model = RankingModel.initialized(config(ScoringMode.BI_ENCODER), tokenizerJson, Device.cpu(), 3)) {
      float[][] before = model.embed(inputs(model));
      model.save(dir, DType.F16, "# card\n");
      assertEquals(DType.F16, SafeTensors.read(dir.resolve("model.safetensors")).tensors()
          .get("embeddings.word_embeddings.weight").dtype());
      try (RankingModel loaded = RankingModel.load(dir, Device.cpu())) {
        float[][] after = loaded.embed(inputs(loaded));
        for (int r = 0; r < before.length; r++) {
          assertArrayEquals(before[r], after[r], 5e-3f);
        }
      }
    }
  }

  @Test
  void missingTensorIsNamed(@TempDir Path dir) throws IOException {
    try (RankingModel model = RankingModel.initialized(config(ScoringMode.BI_ENCODER), tokenizerJson, Device.cpu(), 3)) {
      model.save(dir, DType.F32, "# card\n");
      Map<String, Tensor> tensors = new LinkedHashMap<>(model.exportWeights());
      tensors.remove("encoder.layer.1.attention.self.key.bias");
      SafeTensors.write(dir.resolve("model.safetensors"), tensors, Map.of());
    }
    MalformedWeightsException e =
        assertThrows(MalformedWeightsException.class, () -> RankingModel.load(dir, Device.cpu()));
    assertTrue(
        e.getMessage().contains("has no tensor 'encoder.layer.1.attention.self.key.bias' (expected shape (32))"),
        e.getMessage());
  }

  @Test
  void misShapedTensorIsNamed(@TempDir Path dir) throws IOException {
    try (RankingModel model = RankingModel.initialized(config(ScoringMode.BI_ENCODER), tokenizerJson, Device.cpu(), 3)) {
      model.save(dir, DType.F32, "# card\n");
      Map<String, Tensor> tensors = new LinkedHashMap<>(model.exportWeights());
      tensors.put(
          "encoder.layer.0.intermediate.dense.weight",
          Tensor.ofFloats("encoder.layer.0.intermediate.dense.weight", new long[] {32, 64}, new float[32 * 64]));
      SafeTensors.write(dir.resolve("model.safetensors"), tensors, Map.of());
    }
    MalformedWeightsException e =
        assertThrows(MalformedWeightsException.class, () -> RankingModel.load(dir, Device.cpu()));
    assertTrue(
        e.getMessage().contains("tensor 'encoder.layer.0.intermediate.dense.weight' has shape (32, 64) but the config requires (64, 32)"),
        e.getMessage());
  }

  @Test
  void configWithoutR2rSectionOrWithBadFieldsIsExplained(@TempDir Path dir) throws IOException {
    try (RankingModel model = RankingModel.initialized(config(ScoringMode.BI_ENCODER), tokenizerJson, Device.cpu(), 3)) {
      model.save(dir, DType.F32, "# card\n");
    }
    Files.writeString(dir.resolve("config.json"), TINY.toJson().toString());
    IOException noSection = assertThrows(IOException.class, () -> RankingModel.load(dir, Device.cpu()));
    assertTrue(noSection.getMessage().contains("has no 'r2r' section"), noSection.getMessage());

    Files.writeString(dir.resolve("config.json"), "{\"hidden_size\": 32");
    IOException broken = assertThrows(IOException.class, () -> RankingModel.load(dir, Device.cpu()));
    assertTrue(broken.getMessage().startsWith(dir.resolve("config.json").toString()), broken.getMessage());

    Files.writeString(dir.resolve("config.json"), "");
    IOException empty = assertThrows(IOException.class, () -> RankingModel.load(dir, Device.cpu()));
    assertEquals(dir.resolve("config.json") + ": not a JSON object (the file is empty)", empty.getMessage());

    var lowerCase = config(ScoringMode.BI_ENCODER).toJson();
    lowerCase.getAsJsonObject("r2r").addProperty("scoring", "bi_encoder");
    Files.writeString(dir.resolve("config.json"), lowerCase.toString());
    IOException badEnum = assertThrows(IOException.class, () -> RankingModel.load(dir, Device.cpu()));
    assertTrue(
        badEnum.getMessage().endsWith("field 'scoring' is \"bi_encoder\"; expected one of [BI_ENCODER, CROSS_ENCODER]"),
        badEnum.getMessage());

    var json = config(ScoringMode.BI_ENCODER).toJson();
    json.remove("num_attention_heads");
    Files.writeString(dir.resolve("config.json"), json.toString());
    IOException missing = assertThrows(IOException.class, () -> RankingModel.load(dir, Device.cpu()));
    assertTrue(missing.getMessage().contains("missing required field 'num_attention_heads'"), missing.getMessage());
  }

  @Test
  void configThatIsNotUtf8IsNamedWithTheOffendingByte(@TempDir Path dir) throws IOException {
    try (RankingModel model = RankingModel.initialized(config(ScoringMode.BI_ENCODER), tokenizerJson, Device.cpu(), 3)) {
      model.save(dir, DType.F32, "# card\n");
    }
    // An editor that saves as Latin-1: 'é' is the single byte 0xE9.
    String text = Files.readString(dir.resolve("config.json")).replace("\"tiny\"", "\"tiny-café\"");
    Files.write(dir.resolve("config.json"), text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    IOException e = assertThrows(IOException.class, () -> RankingModel.load(dir, Device.cpu()));
    assertEquals(
        dir.resolve("config.json") + " is not UTF-8 text: byte 0xE9 at offset " + text.indexOf('é')
            + " is not valid UTF-8; save the file as UTF-8",
        e.getMessage());
  }

  /** The message {@code config.json} with {@code edit} applied is refused with. */
  private static String refusal(java.util.function.Consumer<com.google.gson.JsonObject> edit) {
    com.google.gson.JsonObject json = config(ScoringMode.BI_ENCODER).toJson();
    edit.accept(json);
    return assertThrows(IOException.class, () -> RankingModel.parseConfig(json.toString(), "config.json")).getMessage();
  }

  @Test
  void configFieldsOfTheWrongTypeAreNamedWithTheValueFound() {
    // Each was a raw UnsupportedOperationException, a message naming no field, or silently read as another value
    // (32.7 as 32, 2^32 + 30522 as 30522).
    String integer = "must be a whole number up to 2147483647, got ";
    assertEquals("config.json: field 'hidden_size' " + integer + "{}",
        refusal(json -> json.add("hidden_size", new com.google.gson.JsonObject())));
    assertEquals("config.json: field 'hidden_size' " + integer + "null",
        refusal(json -> json.add("hidden_size", com.google.gson.JsonNull.INSTANCE)));
    assertEquals("config.json: field 'hidden_size' " + integer + "\"abc\"",
        refusal(json -> json.addProperty("hidden_size", "abc")));
    assertEquals("config.json: field 'hidden_size' " + integer + "32.7",
        refusal(json -> json.addProperty("hidden_size", 32.7)));
    assertEquals("config.json: field 'vocab_size' " + integer + "4294997818",
        refusal(json -> json.addProperty("vocab_size", 4294967296L + 30522)));
    assertEquals("config.json: field 'num_hidden_layers' " + integer + "[2]",
        refusal(json -> json.add("num_hidden_layers", com.google.gson.JsonParser.parseString("[2]"))));
    assertEquals("config.json: field 'hidden_act' must be a string, got {}",
        refusal(json -> json.add("hidden_act", new com.google.gson.JsonObject())));
    assertEquals("config.json: field 'layer_norm_eps' must be a number, got \"Infinity\"",
        refusal(json -> json.addProperty("layer_norm_eps", "Infinity")));
    assertEquals("config.json: layer_norm_eps must be positive and finite, got Infinity",
        refusal(json -> json.add("layer_norm_eps", com.google.gson.JsonParser.parseString("1e400"))));
    String section = "config.json: config.json 'r2r' section: ";
    assertEquals(section + "field 'scoring' must be a string, got null",
        refusal(json -> json.getAsJsonObject("r2r").add("scoring", com.google.gson.JsonNull.INSTANCE)));
    assertEquals(section + "field 'name' must be a string, got {}",
        refusal(json -> json.getAsJsonObject("r2r").add("name", new com.google.gson.JsonObject())));
    assertEquals(section + "field 'max_length' " + integer + "30.5",
        refusal(json -> json.getAsJsonObject("r2r").addProperty("max_length", 30.5)));
    assertEquals(section + "field 'query_prefix' must be a string, got []",
        refusal(json -> json.getAsJsonObject("r2r").add("query_prefix", new com.google.gson.JsonArray())));
  }

  @Test
  void wholeNumbersWrittenAsDecimalsStillRead() throws IOException {
    com.google.gson.JsonObject json = config(ScoringMode.BI_ENCODER).toJson();
    json.add("hidden_size", com.google.gson.JsonParser.parseString("32.0"));
    json.add("vocab_size", com.google.gson.JsonParser.parseString("3.0522e4"));
    assertEquals(config(ScoringMode.BI_ENCODER), RankingModel.parseConfig(json.toString(), "config.json"));
  }

  @Test
  void moreLayersThanTheWeightsHoldAreRefusedBeforeTheyAreBuilt(@TempDir Path dir) throws IOException {
    try (RankingModel model = RankingModel.initialized(config(ScoringMode.BI_ENCODER), tokenizerJson, Device.cpu(), 3)) {
      model.save(dir, DType.F32, "# card\n");
    }
    com.google.gson.JsonObject json = config(ScoringMode.BI_ENCODER).toJson();
    json.addProperty("num_hidden_layers", 1_000_000_000);
    Files.writeString(dir.resolve("config.json"), json.toString());
    // Building the layers to find the first missing weight ran for minutes and ended in an OutOfMemoryError.
    MalformedWeightsException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(30),
        () -> assertThrows(MalformedWeightsException.class, () -> RankingModel.load(dir, Device.cpu())));
    assertEquals(dir.resolve("model.safetensors") + " holds 2 layers under 'encoder.layer.', but num_hidden_layers"
        + " is 1000000000", e.getMessage());
  }

  @Test
  void aTokenizerWithMoreTokensThanTheEmbeddingTableIsRefusedAtLoad(@TempDir Path dir) throws IOException {
    try (RankingModel model = RankingModel.initialized(config(ScoringMode.BI_ENCODER), tokenizerJson, Device.cpu(), 3)) {
      model.save(dir, DType.F32, "# card\n");
    }
    // A consistent config and weights for 20000 tokens, next to a tokenizer of 30522: it loaded, and the first
    // text holding a token beyond 20000 failed in the engine with "index out of range in self".
    com.google.gson.JsonObject json = config(ScoringMode.BI_ENCODER).toJson();
    json.addProperty("vocab_size", 20000);
    Files.writeString(dir.resolve("config.json"), json.toString());
    Map<String, Tensor> tensors = new LinkedHashMap<>(SafeTensors.read(dir.resolve("model.safetensors")).tensors());
    String table = "embeddings.word_embeddings.weight";
    float[] rows = java.util.Arrays.copyOf(tensors.get(table).toFloatArray(), 20000 * 32);
    tensors.put(table, Tensor.ofFloats(table, new long[] {20000, 32}, rows));
    SafeTensors.write(dir.resolve("model.safetensors"), tensors, Map.of());
    IOException e = assertThrows(IOException.class, () -> RankingModel.load(dir, Device.cpu()).close());
    assertEquals(dir.resolve("tokenizer.json") + " has 30522 tokens (ids up to 30521), but the model's vocab_size is"
        + " 20000: a token beyond it has no embedding, so the tokenizer is not this model's", e.getMessage());
  }

  @Test
  void aCrossEncoderWithOneTokenTypeIsRefused() throws IOException {
    // It loaded, and its first score failed in the engine ("index out of range in self"): the passage is type 1.
    com.google.gson.JsonObject cross = config(ScoringMode.CROSS_ENCODER).toJson();
    cross.addProperty("type_vocab_size", 1);
    IOException e = assertThrows(IOException.class, () -> RankingModel.parseConfig(cross.toString(), "config.json"));
    assertEquals("config.json: config.json 'r2r' section: a CROSS_ENCODER marks the passage with token type 1, so"
        + " type_vocab_size must be at least 2, got 1", e.getMessage());
    com.google.gson.JsonObject bi = config(ScoringMode.BI_ENCODER).toJson();
    bi.addProperty("type_vocab_size", 1);
    assertEquals(1, RankingModel.parseConfig(bi.toString(), "config.json").encoder().typeVocabSize());
  }

  @Test
  void aFileGivenAsTheModelDirectoryIsNotReportedMissing(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("model.safetensors"), "");
    IOException e = assertThrows(IOException.class, () -> RankingModel.load(file, Device.cpu()));
    assertEquals("model directory " + file.toAbsolutePath() + " is a file: give the directory that holds config.json,"
        + " tokenizer.json and model.safetensors", e.getMessage());
    IOException absent = assertThrows(IOException.class, () -> RankingModel.load(dir.resolve("nope"), Device.cpu()));
    assertEquals("model directory not found: " + dir.resolve("nope").toAbsolutePath(), absent.getMessage());
  }

  @Test
  void badTokenizerPathsAreExplained(@TempDir Path dir) {
    IllegalArgumentException empty =
        assertThrows(IllegalArgumentException.class, () -> TextTokenizer.fromFile(Path.of("")));
    assertEquals("tokenizer path is empty: give the path of a tokenizer.json", empty.getMessage());
    IOException absent = assertThrows(IOException.class, () -> TextTokenizer.fromFile(dir.resolve("nope.json")));
    assertTrue(absent.getMessage().startsWith("tokenizer file not found: "), absent.getMessage());
  }

  @Test
  void corruptTokenizerIsExplained(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("tokenizer.json");
    Files.writeString(file, "{not json");
    IOException e = assertThrows(IOException.class, () -> TextTokenizer.fromFile(file));
    assertTrue(e.getMessage().startsWith("cannot read tokenizer from " + file), e.getMessage());
  }

  @Test
  void corruptTokenizerInAModelDirectoryIsNamedByItsPath(@TempDir Path dir) throws IOException {
    try (RankingModel model = RankingModel.initialized(config(ScoringMode.BI_ENCODER), tokenizerJson, Device.cpu(), 3)) {
      model.save(dir, DType.F32, "# card\n");
    }
    Files.writeString(dir.resolve("tokenizer.json"), "{not json");
    IOException e = assertThrows(IOException.class, () -> RankingModel.load(dir, Device.cpu()));
    assertTrue(e.getMessage().startsWith("cannot read tokenizer from " + dir.resolve("tokenizer.json")), e.getMessage());
  }

  @Test
  void bertConfigRejectsInconsistentShapes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new BertConfig(100, 30, 1, 4, 60, 64, 2, 1e-12f));
    assertEquals("hidden_size 30 is not divisible by num_attention_heads 4", e.getMessage());
  }
}
