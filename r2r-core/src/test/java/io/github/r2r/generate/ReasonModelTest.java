package io.github.r2r.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.r2r.model.BFloat16Product;
import io.github.r2r.model.Precision;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.io.DType;
import io.github.r2r.model.io.Tensor;
import io.github.r2r.text.InputSequence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReasonModelTest {
  private static RankingModel encoder;
  private static ReasonModel reasons;

  @BeforeAll
  static void load() throws Exception {
    encoder = ReasonDecoderProperties.tinyEncoder(5);
    reasons = ReasonModel.warmStarted(encoder, new ReasonConfig("tiny", 2, 24, 40), 11);
  }

  @AfterAll
  static void close() {
    reasons.close();
    encoder.close();
  }

  @Test
  void aDecoderReadingLongerInputsThanTheEncoderHasPositionsIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ReasonModel.warmStarted(encoder, new ReasonConfig("tiny", 2, 24, 65), 11));
    assertEquals("this reason decoder reads inputs of up to 65 tokens (max_input_tokens), but the encoder of 'tiny'"
        + " has only 64 positions", e.getMessage());
  }

  @Test
  void decodingOptionsBeyondTheDecodersPositionsAreRefusedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> reasons.checkDecoding(DecodingOptions.defaults().withMaxTokens(24)));
    assertEquals("maxTokens 24 must be below the decoder's max_reason_tokens 24", e.getMessage());
    reasons.checkDecoding(DecodingOptions.defaults().withMaxTokens(23));
  }

  @Test
  void warmStartCopiesTheTopEncoderLayersIntoSelfAndCrossAttention() {
    Map<String, Tensor> encoderWeights = encoder.exportWeights();
    Map<String, Tensor> decoderWeights = io.github.r2r.model.WeightStore.export(reasons.decoder(), "");
    // Two decoder layers on a two-layer encoder: decoder layer i starts as encoder layer i.
    for (int i = 0; i < 2; i++) {
      float[] query = encoderWeights.get("encoder.layer." + i + ".attention.self.query.weight").toFloatArray();
      assertArrayEquals(query,
          decoderWeights.get("bert.encoder.layer." + i + ".attention.self.query.weight").toFloatArray());
      assertArrayEquals(query,
          decoderWeights.get("bert.encoder.layer." + i + ".crossattention.self.query.weight").toFloatArray());
      assertArrayEquals(
          encoderWeights.get("encoder.layer." + i + ".output.dense.weight").toFloatArray(),
          decoderWeights.get("bert.encoder.layer." + i + ".output.dense.weight").toFloatArray());
    }
    float[] positions = encoderWeights.get("embeddings.position_embeddings.weight").toFloatArray();
    float[] decoderPositions = decoderWeights.get("bert.embeddings.position_embeddings.weight").toFloatArray();
    assertEquals(24 * 32, decoderPositions.length);
    for (int i = 0; i < decoderPositions.length; i++) {
      assertEquals(positions[i], decoderPositions[i]);
    }
  }

  @Test
  void generationIsDeterministicAndBeamOneIsGreedy() {
    ReasonInput input = reasons.pointwiseInput("why is the sky blue", "Rayleigh scattering of sunlight.", 1);
    DecodingOptions beam = new DecodingOptions(3, 12, 3, 1.0);
    long[] first = reasons.generateIds(input, beam);
    assertArrayEquals(first, reasons.generateIds(input, beam));
    assertTrue(first.length <= 12);
    DecodingOptions greedy = beam.greedy();
    assertArrayEquals(reasons.generateIds(input, greedy), reasons.generateIds(input, greedy));
    assertArrayEquals(
        SequenceSearch.greedy(scorer(input), encoder.tokenizer().clsId(), encoder.tokenizer().sepId(), greedy),
        SequenceSearch.beam(scorer(input), encoder.tokenizer().clsId(), encoder.tokenizer().sepId(), greedy));
  }

  @Test
  void reasonsDecodedTogetherEqualReasonsDecodedAlone() {
    List<ReasonInput> inputs = List.of(
        reasons.pointwiseInput("why is the sky blue", "Rayleigh scattering of sunlight.", 1),
        reasons.comparativeInput("why is the sky blue", "Rayleigh scattering.", "The sea is blue too, mostly.", 1),
        reasons.pointwiseInput("capital of france", "Paris is the capital and largest city of France.", 1));
    for (DecodingOptions options : List.of(new DecodingOptions(3, 12, 3, 1.0), new DecodingOptions(1, 12, 3, 1.0))) {
      List<long[]> together = reasons.generateIds(inputs, options);
      for (int i = 0; i < inputs.size(); i++) {
        assertArrayEquals(reasons.generateIds(inputs.get(i), options), together.get(i), "input " + i + ", " + options);
      }
    }
  }

  /** A real decoder scorer whose memory scope lives as long as the test (closed with the encoder). */
  private static TokenScorer scorer(ReasonInput input) {
    var scope = encoder.manager().newSubManager();
    var ps = new ai.djl.training.ParameterStore(scope, false);
    DecoderState state = ReasonDecoderProperties.started(reasons, java.util.List.of(input), ps);
    return new DecoderScorer(reasons.decoder(), ps, reasons.wordTable(), null, state, scope, 0f, new int[1][0],
        new long[][] {input.sequence().ids()}, null);
  }

  @Test
  void inputsFollowTheLayoutAndFitTheBudget() {
    long cls = encoder.tokenizer().clsId();
    long sep = encoder.tokenizer().sepId();
    InputSequence pointwise = reasons.pointwiseInput("a query", "word ".repeat(200), 1).sequence();
    assertEquals(40, pointwise.length(), "cut to max_input_tokens");
    assertEquals(cls, pointwise.ids()[0]);
    assertEquals(sep, pointwise.ids()[39]);
    InputSequence comparative = reasons.comparativeInput("a query", "short one", "word ".repeat(200), 1).sequence();
    assertEquals(40, comparative.length());
    long seps = java.util.Arrays.stream(comparative.ids()).filter(id -> id == sep).count();
    assertEquals(3, seps, "query, above and below each end with [SEP]");
    // The short passage is whole; the long one gets the rest of the budget.
    InputSequence shortAlone = reasons.pointwiseInput("a query", "short one", 1).sequence();
    assertArrayEquals(shortAlone.ids(), java.util.Arrays.copyOf(comparative.ids(), shortAlone.length()));
    assertTrue(java.util.Arrays.stream(comparative.typeIds()).allMatch(t -> t == 0), "one segment type");
  }

  @Test
  void withoutRankHintsTheRankIsNotPartOfTheInput() {
    ReasonInput first = reasons.pointwiseInput("a query", "a passage", 1);
    ReasonInput fifth = reasons.pointwiseInput("a query", "a passage", 5);
    assertArrayEquals(first.sequence().ids(), fifth.sequence().ids());
    assertEquals(1, first.copyFrom(), "everything after [CLS]");
    assertThrows(IllegalArgumentException.class, () -> reasons.pointwiseInput("a query", "a passage", 0));
  }

  @Test
  void rankHintsComeFirstAreCappedAndAreNeverCopied() {
    try (ReasonModel hinted =
        ReasonModel.warmStarted(encoder, new ReasonConfig("tiny", 2, 24, 40).withRankHints(3), 11)) {
      long cls = encoder.tokenizer().clsId();
      long sep = encoder.tokenizer().sepId();
      ReasonInput plain = reasons.pointwiseInput("a query", "a passage", 2);
      ReasonInput second = hinted.pointwiseInput("a query", "a passage", 2);
      long[] hint = encoder.tokenizer().tokenize("rank 2").ids(0, encoder.tokenizer().tokenize("rank 2").length());
      long[] ids = second.sequence().ids();
      assertEquals(cls, ids[0]);
      assertArrayEquals(hint, java.util.Arrays.copyOfRange(ids, 1, 1 + hint.length));
      assertEquals(sep, ids[1 + hint.length]);
      assertEquals(2 + hint.length, second.copyFrom(), "copying starts after the hint's [SEP]");
      // After the hint, the input is the unhinted one without its [CLS].
      assertArrayEquals(java.util.Arrays.copyOfRange(plain.sequence().ids(), 1, plain.sequence().length()),
          java.util.Arrays.copyOfRange(ids, second.copyFrom(), ids.length));
      // Ranks past the cap read as the cap; different ranks below it differ.
      assertArrayEquals(hinted.pointwiseInput("a query", "a passage", 3).sequence().ids(),
          hinted.pointwiseInput("a query", "a passage", 9).sequence().ids());
      assertFalse(java.util.Arrays.equals(ids, hinted.pointwiseInput("a query", "a passage", 1).sequence().ids()));
      // The hint's positions are masked for copying even where the same token ids are copyable later.
      ReasonInput echo = hinted.comparativeInput("rank 2", "rank 2 again", "other", 2);
      try (var scope = encoder.manager().newSubManager()) {
        float[] mask = hinted.copyMask(scope, List.of(echo), echo.sequence().length()).toFloatArray();
        for (int t = 0; t < echo.copyFrom(); t++) {
          assertEquals(ReasonDecoder.MASKED, mask[t], "position " + t + " is part of the hint");
        }
        long copyable = java.util.stream.IntStream.range(echo.copyFrom(), mask.length).filter(t -> mask[t] == 0f).count();
        assertTrue(copyable > 0, "the query and passages stay copyable");
      }
      assertEquals(40, hinted.pointwiseInput("a query", "word ".repeat(200), 1).sequence().length(),
          "the hint counts against max_input_tokens");
    }
  }

  @Test
  void rankHintsSurviveSaveAndLoad(@TempDir Path dir) throws IOException {
    try (ReasonModel hinted =
        ReasonModel.warmStarted(encoder, new ReasonConfig("tiny", 2, 24, 40).withRankHints(5), 11)) {
      hinted.save(dir, DType.F32);
      try (ReasonModel loaded = ReasonModel.load(encoder, dir)) {
        assertEquals(5, loaded.config().rankHints());
      }
    }
    // A reasons.json written before rank hints existed reads as none.
    com.google.gson.JsonObject old = new ReasonConfig("tiny", 2, 24, 40).toJson();
    old.remove("rank_hints");
    assertEquals(0, ReasonConfig.fromJson(old).rankHints());
    old.addProperty("rank_hints", -1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReasonConfig.fromJson(old));
    assertTrue(e.getMessage().contains("rank_hints"), e.getMessage());
  }

  @Test
  void savedDecoderLoadsAndGeneratesTheSame(@TempDir Path dir) throws IOException {
    reasons.save(dir, DType.F32);
    ReasonInput input = reasons.comparativeInput("q", "first passage text", "second passage text", 1);
    DecodingOptions options = new DecodingOptions(2, 10, 3, 1.0);
    try (ReasonModel loaded = ReasonModel.load(encoder, dir)) {
      assertEquals(reasons.config(), loaded.config());
      assertArrayEquals(reasons.generateIds(input, options), loaded.generateIds(input, options));
    }
  }

  @Test
  void malformedDirectoriesAreExplained(@TempDir Path dir) throws IOException {
    IOException missing = assertThrows(IOException.class, () -> ReasonModel.load(encoder, dir));
    assertEquals("reason model directory " + dir + " has no reasons.json", missing.getMessage());

    reasons.save(dir, DType.F16);
    Files.writeString(dir.resolve(ReasonModel.CONFIG_FILE), "{\"encoder\": \"tiny\", \"decoder_layers\": 2");
    IOException broken = assertThrows(IOException.class, () -> ReasonModel.load(encoder, dir));
    assertTrue(broken.getMessage().startsWith(dir.resolve("reasons.json") + ": "), broken.getMessage());

    Files.writeString(dir.resolve(ReasonModel.CONFIG_FILE),
        "{\"encoder\": \"e5-small-v2\", \"decoder_layers\": 2, \"max_reason_tokens\": 24, \"max_input_tokens\": 40,"
        + " \"pointwise_start_token\": \"[CLS]\", \"comparative_start_token\": \"[MASK]\"}");
    IOException wrongEncoder = assertThrows(IOException.class, () -> ReasonModel.load(encoder, dir));
    assertTrue(wrongEncoder.getMessage().endsWith(
        "this reason decoder was trained on the encoder of 'e5-small-v2' and cannot run on 'tiny'"),
        wrongEncoder.getMessage());

    Files.writeString(dir.resolve(ReasonModel.CONFIG_FILE),
        "{\"encoder\": \"tiny\", \"decoder_layers\": 3, \"max_reason_tokens\": 24, \"max_input_tokens\": 40,"
        + " \"pointwise_start_token\": \"[CLS]\", \"comparative_start_token\": \"[MASK]\"}");
    IOException shape = assertThrows(IOException.class, () -> ReasonModel.load(encoder, dir));
    assertEquals(dir.resolve("reasons.safetensors") + " holds 2 layers under 'bert.encoder.layer.', but decoder_layers"
        + " is 3", shape.getMessage());

    Files.writeString(dir.resolve(ReasonModel.CONFIG_FILE),
        "{\"encoder\": \"tiny\", \"decoder_layers\": \"two\", \"max_reason_tokens\": 24, \"max_input_tokens\": 40,"
        + " \"pointwise_start_token\": \"[CLS]\", \"comparative_start_token\": \"[MASK]\"}");
    IOException typed = assertThrows(IOException.class, () -> ReasonModel.load(encoder, dir));
    assertTrue(typed.getMessage().endsWith("reasons.json has no integer 'decoder_layers'"), typed.getMessage());
  }

  @Test
  void reasonsJsonThatIsNotUtf8IsNamed(@TempDir Path dir) throws IOException {
    reasons.save(dir, DType.F32);
    Files.write(dir.resolve(ReasonModel.CONFIG_FILE), new ReasonConfig("tiny", 2, 24, 40).toJson().toString()
        .getBytes(java.nio.charset.StandardCharsets.UTF_16));
    IOException e = assertThrows(IOException.class, () -> ReasonModel.load(encoder, dir));
    assertEquals(dir.resolve("reasons.json") + " is not UTF-8 text: byte 0xFE at offset 0 is not valid UTF-8; save the"
        + " file as UTF-8", e.getMessage());
  }

  @Test
  void reasonsJsonIntegersThatAreNotWholeIntsAreRefused() {
    // 1.5 was read as 1 and 2^32 + 2 as 2: a decoder of another shape, or a hang building it.
    for (String value : List.of("1.5", "4294967298")) {
      com.google.gson.JsonObject json = new ReasonConfig("tiny", 2, 24, 40).toJson();
      json.add("decoder_layers", com.google.gson.JsonParser.parseString(value));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReasonConfig.fromJson(json));
      assertEquals("field 'decoder_layers' must be a whole number up to 2147483647, got " + value, e.getMessage());
    }
  }

  @Test
  void moreDecoderLayersThanTheWeightsHoldAreRefusedBeforeTheyAreBuilt(@TempDir Path dir) throws IOException {
    reasons.save(dir, DType.F32);
    com.google.gson.JsonObject json = new ReasonConfig("tiny", 2, 24, 40).toJson();
    json.addProperty("decoder_layers", 1_000_000_000);
    Files.writeString(dir.resolve(ReasonModel.CONFIG_FILE), json.toString());
    // Building the layers to find the first missing weight ran for minutes and ended in an OutOfMemoryError.
    IOException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
        () -> assertThrows(IOException.class, () -> ReasonModel.load(encoder, dir)));
    assertEquals(dir.resolve("reasons.safetensors") + " holds 2 layers under 'bert.encoder.layer.', but decoder_layers"
        + " is 1000000000", e.getMessage());
  }

  @Test
  void reasonsJsonThatDoesNotFitTheEncoderIsNamedWithItsField(@TempDir Path dir) throws IOException {
    reasons.save(dir, DType.F32);
    // Each was reported against reasons.safetensors, and max_reason_tokens as 'maxTokens'.
    Files.writeString(dir.resolve(ReasonModel.CONFIG_FILE), new ReasonConfig("tiny", 2, 1000, 40).toJson().toString());
    assertEquals(dir.resolve("reasons.json") + ": this reason decoder writes up to 1000 tokens (max_reason_tokens),"
        + " but the encoder of 'tiny' has only 64 positions",
        assertThrows(IOException.class, () -> ReasonModel.load(encoder, dir)).getMessage());
    Files.writeString(dir.resolve(ReasonModel.CONFIG_FILE), new ReasonConfig("other", 2, 24, 40).toJson().toString());
    assertEquals(dir.resolve("reasons.json") + ": this reason decoder was trained on the encoder of 'other' and cannot"
        + " run on 'tiny'", assertThrows(IOException.class, () -> ReasonModel.load(encoder, dir)).getMessage());
    Files.writeString(dir.resolve(ReasonModel.CONFIG_FILE),
        new ReasonConfig("tiny", 2, 24, 40, "two words", "[MASK]", true, 0).toJson().toString());
    assertEquals(dir.resolve("reasons.json") + ": pointwise_start_token 'two words' is not one token of the vocabulary"
        + " (it is 2)", assertThrows(IOException.class, () -> ReasonModel.load(encoder, dir)).getMessage());
  }

  @Test
  void theCopyMixtureIsAProbabilityDistribution() {
    ReasonInput input = reasons.pointwiseInput("sky sky colour", "Rayleigh scattering makes the sky look blue.", 1);
    TokenScorer scorer = scorer(input);
    float[] row = scorer.next(new long[] {encoder.tokenizer().clsId()})[0];
    double total = 0;
    for (float logProb : row) {
      total += Math.exp(logProb);
    }
    assertEquals(1.0, total, 1e-4, "generate + copy probabilities sum to one");
  }

  @Test
  void aLargeCopyBiasMakesTheReasonQuoteTheInput() {
    ReasonInput input = reasons.pointwiseInput("sky colour", "Rayleigh scattering makes the sky look blue.", 1);
    java.util.Set<Long> inputIds = new java.util.HashSet<>();
    for (long id : input.sequence().ids()) {
      inputIds.add(id);
    }
    long[] quoted = reasons.generateIds(input, new DecodingOptions(2, 10, 3, 1.0, 1000f));
    assertTrue(quoted.length > 0);
    for (long id : quoted) {
      assertTrue(inputIds.contains(id) && id != encoder.tokenizer().clsId(), "token " + id + " is not from the input");
    }
  }

  @Test
  void aWordRepeatLimitStopsAQuotingDecoderFromCirclingOnAWord() {
    ReasonInput input = reasons.pointwiseInput(
        "flea life cycle", "The flea life cycle: a flea lays eggs, the eggs hatch, and a new flea grows.", 1);
    // A large copy bias and no n-gram rule: the decoder quotes the input and returns to its words.
    DecodingOptions quoting = new DecodingOptions(2, 20, 0, 1.0, 1000f);
    // More than either limit below, so that neither holds trivially.
    assertTrue(mostOccurrencesOfOneWord(reasons.generate(input, quoting)) > 2, reasons.generate(input, quoting));
    for (int limit : new int[] {1, 2}) {
      String limited = reasons.generate(input, quoting.withMaxWordOccurrences(limit));
      assertTrue(mostOccurrencesOfOneWord(limited) <= limit, limit + ": " + limited);
    }
  }

  /**
   * The most times one content word occurs in {@code text} (compared as the evaluation compares them), among
   * the words the tokenizer writes in one piece (the ones the limit holds).
   */
  private static int mostOccurrencesOfOneWord(String text) {
    java.util.Map<String, Integer> counts = new java.util.HashMap<>();
    for (String word : io.github.r2r.eval.StopWords.contentWords(text)) {
      if (encoder.tokenizer().tokenize(word).length() == 1) {
        counts.merge(io.github.r2r.eval.Groundedness.wordKey(word), 1, Integer::sum);
      }
    }
    return counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
  }

  @Test
  void wholeWordCopiesNeverGlueAnInputPieceToAnotherInputWord() {
    // Many split words, so that a decoder quoting the input (large copy bias) could glue pieces anywhere.
    ReasonInput input = reasons.pointwiseInput("social determinants unbelievable",
        "Unbelievably, the determinants of socioeconomic disparities are multifactorial.", 1);
    long[] ids = input.sequence().ids();
    java.util.Set<Long> continuations = encoder.tokenizer().wordContinuations(ReasonDecoderProperties.TINY.vocabSize());
    java.util.Set<String> inputPairs = new java.util.HashSet<>();
    java.util.Set<Long> inputTokens = new java.util.HashSet<>();
    for (int i = 0; i < ids.length; i++) {
      inputTokens.add(ids[i]);
      if (i > 0) {
        inputPairs.add(ids[i - 1] + " " + ids[i]);
      }
    }
    for (int beam : new int[] {1, 3}) {
      long[] out = reasons.generateIds(
          input, new DecodingOptions(beam, 20, 0, 1.0, 1000f).withWholeWordCopies(true));
      assertTrue(out.length > 0);
      for (int i = 1; i < out.length; i++) {
        if (continuations.contains(out[i]) && inputTokens.contains(out[i - 1])) {
          assertTrue(inputPairs.contains(out[i - 1] + " " + out[i]),
              "piece " + out[i] + " after " + out[i - 1] + " is not a pair of the input (beam " + beam + ")");
        }
      }
    }
  }

  @Test
  void groundedWordsWriteOnlyInputWordsFunctionWordsAndPunctuation() {
    String query = "social determinants of health";
    String passage = "Unbelievably, the determinants of socioeconomic disparities are multifactorial (1998).";
    ReasonInput input = reasons.pointwiseInput(query, passage, 1);
    java.util.Set<Long> allowed = new java.util.HashSet<>();
    for (long id : input.sequence().ids()) {
      allowed.add(id);
    }
    allowed.remove(encoder.tokenizer().clsId());
    for (String word : io.github.r2r.eval.StopWords.ENGLISH) {
      io.github.r2r.text.TokenizedText t = encoder.tokenizer().tokenize(word);
      if (t.length() == 1) {
        allowed.add(t.id(0));
      }
    }
    for (char c : ".,;:!?'\"()-/%&".toCharArray()) {
      io.github.r2r.text.TokenizedText t = encoder.tokenizer().tokenize(String.valueOf(c));
      if (t.length() == 1) {
        allowed.add(t.id(0));
      }
    }
    for (int beam : new int[] {1, 3}) {
      DecodingOptions grounded = new DecodingOptions(beam, 20, 0, 1.0).withWholeWordCopies(true).withGroundedWords(true);
      long[] out = reasons.generateIds(input, grounded);
      for (long id : out) {
        assertTrue(allowed.contains(id), "token " + id + " is neither from the input nor a function word (beam " + beam + ")");
      }
      // Whole words only: without the rule for unfinished pieces this decoder stopped at "determina".
      // A reason cut by maxTokens may end inside a word: then its last word is left out.
      String text = reasons.generate(input, grounded);
      if (out.length == grounded.maxTokens()) {
        text = text.substring(0, Math.max(0, text.lastIndexOf(' ')));
      }
      String checked = text;
      io.github.r2r.eval.Groundedness.of(checked, List.of(query, passage))
          .ifPresent(share -> assertEquals(1.0, share, 1e-9, "'" + checked + "' (beam " + beam + ")"));
    }
  }

  /** Token ids of {@code input}'s sequence, as a list. */
  private static List<Long> ids(ReasonInput input) {
    return java.util.Arrays.stream(input.sequence().ids()).boxed().toList();
  }

  /** Token ids of {@code text} alone (no prefix), as a list. */
  private static List<Long> tokens(String text) {
    io.github.r2r.text.TokenizedText t = encoder.tokenizer().tokenize(text);
    return java.util.Arrays.stream(t.ids(0, t.length())).boxed().toList();
  }

  @Test
  void aLongPassageIsReadFromItsFocusWhenTheFocusLiesBeyondWhatIsReadFromItsStart() {
    String filler = "the committee met again on tuesday to discuss the budget for the parks. ".repeat(6);
    String answer = "Zebras have black and white stripes.";
    String passage = filler + answer + " " + filler;
    int start = passage.indexOf(answer);
    ReasonPassage focused = new ReasonPassage(passage, start, start + answer.length());
    List<Long> answerTokens = tokens(answer);
    List<Long> prefix = tokens("p:");

    List<Long> fromStart = ids(reasons.pointwiseInput("zebra stripes", passage, 1));
    List<Long> fromFocus = ids(reasons.pointwiseInput("zebra stripes", focused, 1));
    assertEquals(-1, java.util.Collections.indexOfSubList(fromStart, answerTokens), "the start does not reach it");
    // After the query's [SEP]: the passage prefix, the focus, the closing [SEP].
    int sep = fromFocus.indexOf(encoder.tokenizer().sepId());
    List<Long> expected = new java.util.ArrayList<>(prefix);
    expected.addAll(answerTokens);
    expected.add(encoder.tokenizer().sepId());
    assertEquals(expected, fromFocus.subList(sep + 1, fromFocus.size()), "the focus alone is read");
    assertEquals(fromStart.subList(0, sep + 1), fromFocus.subList(0, sep + 1), "the same query part");

    // Comparative: each passage is read from its own focus.
    List<Long> pair = ids(reasons.comparativeInput("zebra stripes", focused, ReasonPassage.whole(passage), 1));
    assertTrue(java.util.Collections.indexOfSubList(pair, answerTokens) >= 0);
  }

  @Test
  void aFocusTheStartReachesChangesNothing() {
    String answer = "Zebras have black and white stripes.";
    String filler = " the committee met again on tuesday to discuss the budget for the parks.".repeat(6);
    // A focus that the start already covers: the input is the one without a focus.
    String early = answer + filler;
    assertEquals(ids(reasons.pointwiseInput("zebra stripes", early, 1)),
        ids(reasons.pointwiseInput("zebra stripes", new ReasonPassage(early, 0, answer.length()), 1)));
  }

  @Test
  void aFocusOutsideThePassageIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new ReasonPassage("short", 2, 9));
    assertEquals("focus [2, 9) is not a span of the passage's 5 chars", e.getMessage());
  }

  @Test
  void decodingOptionsLimitUngroundedWordsToZeroOrMore() {
    DecodingOptions defaults = DecodingOptions.defaults();
    assertEquals(DecodingOptions.UNLIMITED, defaults.maxUngroundedWords());
    assertFalse(defaults.groundedWords());
    assertTrue(defaults.withGroundedWords(true).groundedWords());
    assertEquals(0, defaults.withGroundedWords(true).maxUngroundedWords());
    assertEquals(DecodingOptions.UNLIMITED, defaults.withMaxUngroundedWords(2).withGroundedWords(false).maxUngroundedWords());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> defaults.withMaxUngroundedWords(-1));
    assertEquals("maxUngroundedWords must be 0 or more (UNLIMITED for no limit), got -1", e.getMessage());
  }

  @Test
  void decodedTextIsJoinedLikeWrittenText() {
    assertEquals("It doesn't mention robert's ship, 'the columbia', or dates.",
        ReasonModel.tidySpacing("It doesn ' t mention robert ' s ship , ' the columbia ' , or dates ."));
  }

  @Test
  void startTokensMustDifferAndBeSingleTokens() {
    IllegalArgumentException same = assertThrows(IllegalArgumentException.class,
        () -> new ReasonConfig("tiny", 2, 24, 40, "[CLS]", "[CLS]", true, 0));
    assertEquals("pointwise and comparative reasons need different start tokens, both are '[CLS]'", same.getMessage());
    IllegalArgumentException notOne = assertThrows(IllegalArgumentException.class,
        () -> ReasonModel.warmStarted(encoder, new ReasonConfig("tiny", 2, 24, 40, "[CLS]", "two words", true, 0), 1));
    assertEquals("comparative_start_token 'two words' is not one token of the vocabulary (it is 2)", notOne.getMessage());
    assertEquals(encoder.tokenizer().clsId(), reasons.startToken(ReasonKind.POINTWISE));
    assertEquals(103, reasons.startToken(ReasonKind.COMPARATIVE), "[MASK] in the BERT uncased vocabulary");
  }

  @Test
  void generationRefusesMoreTokensThanTheDecoderHasPositions() {
    ReasonInput input = reasons.pointwiseInput("q", "p", 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> reasons.generateIds(input, new DecodingOptions(1, 24, 3, 1.0)));
    assertEquals("maxTokens 24 must be below the decoder's max_reason_tokens 24", e.getMessage());
    assertFalse(reasons.generate(input, new DecodingOptions(1, 5, 3, 1.0)).isEmpty()
        && reasons.generateIds(input, new DecodingOptions(1, 5, 3, 1.0)).length > 0);
  }
  /**
   * With the encoder in bfloat16, the output product runs on a bfloat16 copy of the word table: a
   * step's logits stay within bfloat16 rounding of float32's, and generation stays deterministic.
   */
  @Test
  void inBFloat16TheOutputProductReadsABFloat16CopyOfTheWordTable() throws Exception {
    try (RankingModel lowEncoder = ReasonDecoderProperties.tinyEncoder(5);
        ReasonModel low = ReasonModel.warmStarted(lowEncoder, new ReasonConfig("tiny", 2, 24, 40), 11);
        NDManager scope = lowEncoder.manager().newSubManager();
        BFloat16Product table = new BFloat16Product(low.wordTable())) {
      ReasonInput input = low.pointwiseInput("why is the sky blue", "Rayleigh scattering of sunlight.", 1);
      ParameterStore ps = new ParameterStore(scope, false);
      float[][] logits = new float[2][];
      for (int k = 0; k < 2; k++) {
        DecoderState state = ReasonDecoderProperties.started(low, List.of(input), ps);
        NDArray cls = scope.create(new long[] {lowEncoder.tokenizer().clsId()}, new Shape(1));
        logits[k] = low.decoder().step(ps, low.wordTable(), k == 0 ? null : table, cls, state).logits().toFloatArray();
      }
      boolean anyRounded = false;
      for (int v = 0; v < logits[0].length; v++) {
        // 32 hidden units of order 1 times table entries of order 0.02-1: bfloat16 moves a logit by
        // far less than 0.1.
        assertEquals(logits[0][v], logits[1][v], 0.1, "token " + v);
        anyRounded |= logits[0][v] != logits[1][v];
      }
      assertTrue(anyRounded, "the bfloat16 product gave float32's logits to the bit");

      assertTrue(lowEncoder.bfloat16WordTable().isEmpty(), "float32 has no bfloat16 table");
      lowEncoder.setInferencePrecision(Precision.INT8);
      assertTrue(lowEncoder.bfloat16WordTable().isEmpty(), "int8 has no bfloat16 table");
      lowEncoder.setInferencePrecision(Precision.BF16);
      assertTrue(lowEncoder.bfloat16WordTable().isPresent(), "bfloat16 has its table");
      DecodingOptions beam = new DecodingOptions(3, 12, 3, 1.0);
      long[] first = low.generateIds(input, beam);
      assertArrayEquals(first, low.generateIds(input, beam));
      assertTrue(first.length >= 1 && first.length <= 12);
      lowEncoder.setInferencePrecision(Precision.FP32);
      assertTrue(lowEncoder.bfloat16WordTable().isEmpty(), "back to float32, the copy is gone");
    }
  }
}
