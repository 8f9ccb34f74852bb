package io.github.r2r.generate;

import static com.google.common.base.Preconditions.checkArgument;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.google.common.base.Supplier;
import com.google.common.base.Suppliers;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.r2r.eval.StopWords;
import io.github.r2r.model.BFloat16Product;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.WeightStore;
import io.github.r2r.model.io.DType;
import io.github.r2r.model.io.MalformedWeightsException;
import io.github.r2r.model.io.SafeTensors;
import io.github.r2r.model.io.Tensor;
import io.github.r2r.text.InputSequence;
import io.github.r2r.text.PaddedBatch;
import io.github.r2r.text.TextTokenizer;
import io.github.r2r.text.TokenizedText;
import io.github.r2r.util.Utf8Files;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes reasons with a {@link ReasonDecoder} over a ranking model's encoder: a pointwise reason ("how
 * this passage addresses the query") from {@code query [SEP] passage}, and a comparative reason ("why
 * this passage is above the next one") from {@code query [SEP] passage above [SEP] passage below}.
 *
 * <p>The encoder is the ranking model's own and is used as it is (the decoder was trained with it
 * frozen), so asking for reasons never changes a score. Inputs are one segment type: the bi-encoders
 * r2r ships never saw a second one; the {@code [SEP]}s and the model's query/passage prefixes mark the
 * parts.
 *
 * <p>Files: {@value #CONFIG_FILE} ({@link ReasonConfig}) and {@value #WEIGHTS_FILE} (the decoder's
 * weights, fp32 or fp16; the word embeddings are the encoder's and are not repeated). Thread-safe for
 * generation; each call works in its own native memory scope.
 */
public final class ReasonModel implements AutoCloseable {
  /** The decoder's config file in a model directory ({@link ReasonConfig} as JSON). */
  public static final String CONFIG_FILE = "reasons.json";
  /** The decoder's weights file in a model directory (safetensors, fp32 or fp16). */
  public static final String WEIGHTS_FILE = "reasons.safetensors";
  /** Classpath folder of shipped decoders, one sub-folder per ranking model name. */
  static final String RESOURCE_DIR = "/io/github/r2r/reasons/";

  private final RankingModel encoder;
  private final ReasonConfig config;
  private final ReasonDecoder decoder;
  private final NDManager manager;
  private final long pointwiseStart;
  private final long comparativeStart;
  private final Set<Long> notCopyable;
  /** The vocabulary read as words, built the first time a word rule needs it. */
  private final Supplier<VocabularyWords> vocabularyWords;
  /** Function-word and punctuation tokens, read the first time a grounded reason needs them. */
  private final Supplier<Set<Long>> functionTokens;

  private ReasonModel(RankingModel encoder, ReasonConfig config) {
    checkArgument(encoder != null, "ranking model is null");
    checkArgument(config != null, "reason config is null");
    checkArgument(
        config.encoder().equals(encoder.config().name()),
        "this reason decoder was trained on the encoder of '%s' and cannot run on '%s'",
        config.encoder(), encoder.config().name());
    checkArgument(
        config.maxInputTokens() <= encoder.config().encoder().maxPositionEmbeddings(),
        "this reason decoder reads inputs of up to %s tokens (max_input_tokens), but the encoder of '%s' has only"
            + " %s positions",
        config.maxInputTokens(), encoder.config().name(), encoder.config().encoder().maxPositionEmbeddings());
    // The decoder's positions start as the encoder's (warmStarted), so it has no more of them.
    checkArgument(
        config.maxReasonTokens() <= encoder.config().encoder().maxPositionEmbeddings(),
        "this reason decoder writes up to %s tokens (max_reason_tokens), but the encoder of '%s' has only %s positions",
        config.maxReasonTokens(), encoder.config().name(), encoder.config().encoder().maxPositionEmbeddings());
    this.encoder = encoder;
    this.config = config;
    this.pointwiseStart = tokenId(encoder.tokenizer(), "pointwise_start_token", config.pointwiseStartToken());
    this.comparativeStart = tokenId(encoder.tokenizer(), "comparative_start_token", config.comparativeStartToken());
    this.notCopyable = notCopyable(encoder);
    // One pass over the vocabulary (~0.1-0.2 s for BERT's 30,522 pieces) serves every word rule.
    this.vocabularyWords = Suppliers.memoize(
        () -> new VocabularyWords(encoder.tokenizer().pieces(encoder.config().encoder().vocabSize())));
    this.functionTokens = Suppliers.memoize(() -> functionTokens(encoder));
    this.decoder = new ReasonDecoder(
        encoder.config().encoder(), config.decoderLayers(), config.maxReasonTokens(), config.copyAttention());
    this.manager = encoder.manager().newSubManager();
  }

  private static long tokenId(TextTokenizer tokenizer, String field, String token) {
    TokenizedText tokens = tokenizer.tokenize(token);
    checkArgument(
        tokens.length() == 1, "%s '%s' is not one token of the vocabulary (it is %s)", field, token, tokens.length());
    return tokens.id(0);
  }

  /**
   * The id decoding a reason of {@code kind} starts from.
   *
   * @param kind the kind of reason
   * @return the vocabulary id of the config's start token for that kind
   */
  public long startToken(ReasonKind kind) {
    return kind == ReasonKind.POINTWISE ? pointwiseStart : comparativeStart;
  }

  /**
   * A decoder warm-started from {@code encoder}'s top {@code decoderLayers} layers (see {@link
   * ReasonDecoder#warmStartTensors}); the output transform is freshly initialised (seeded).
   *
   * @param encoder the ranking model the decoder reads; not owned
   * @param config the decoder's shape; its {@code encoder} must name {@code encoder}
   * @param seed seed of the initialiser, for reproducible training
   * @return a new model, to be closed by the caller
   * @throws IllegalArgumentException if {@code config} does not fit {@code encoder} (another encoder's
   *     name, more positions than the encoder has, a start token that is not one vocabulary token), or
   *     the encoder has fewer layers than {@code decoderLayers} or lacks a tensor to start from
   * @throws IllegalStateException if an encoder tensor has the wrong shape or type
   */
  public static ReasonModel warmStarted(RankingModel encoder, ReasonConfig config, long seed) {
    ReasonModel model = new ReasonModel(encoder, config);
    try {
      WeightStore.initialize(model.decoder, model.manager, seed);
      String prefix = encoder.blocks().containsKey("bert.") ? "bert." : "";
      int first = encoder.config().encoder().numHiddenLayers() - config.decoderLayers();
      WeightStore.loadPresent(
          model.decoder, "", model.decoder.warmStartTensors(encoder.exportWeights(), prefix, first), model.manager,
          "warm start");
      return model;
    } catch (MalformedWeightsException | RuntimeException e) {
      model.close();
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
  }

  /**
   * Loads {@value #CONFIG_FILE} and {@value #WEIGHTS_FILE} from {@code dir}, for {@code encoder}.
   *
   * @param encoder the ranking model the decoder reads; not owned
   * @param dir the directory holding both files
   * @return the loaded model, to be closed by the caller
   * @throws IllegalArgumentException if {@code dir} is null
   * @throws IOException if a file is missing or unreadable, the config is malformed or does not fit
   *     {@code encoder}, or the weights do not fit the config ({@link MalformedWeightsException}); the
   *     message names the file
   */
  public static ReasonModel load(RankingModel encoder, Path dir) throws IOException {
    checkArgument(dir != null, "reason model directory is null");
    for (String required : List.of(CONFIG_FILE, WEIGHTS_FILE)) {
      if (!Files.isRegularFile(dir.resolve(required))) {
        throw new IOException("reason model directory " + dir + " has no " + required);
      }
    }
    String configSource = dir.resolve(CONFIG_FILE).toString();
    ReasonConfig config = readConfig(Utf8Files.read(dir.resolve(CONFIG_FILE)), configSource);
    return withWeights(encoder, config, configSource, SafeTensors.read(dir.resolve(WEIGHTS_FILE)).tensors(),
        dir.resolve(WEIGHTS_FILE).toString());
  }

  /**
   * The decoder in {@code encoder}'s model directory ({@value #CONFIG_FILE} + {@value #WEIGHTS_FILE}),
   * if it has one. A model directory never borrows a shipped decoder: its encoder may have been
   * fine-tuned, and a decoder only fits the encoder states it was trained on. For a pretrained encoder
   * or the bundled model, see {@link #shipped} and {@code BundledModel.explainersFor}.
   *
   * @param encoder the ranking model loaded from {@code modelDir}; not owned
   * @param modelDir the ranking model's directory
   * @return the decoder, or empty when {@code modelDir} has no {@value #CONFIG_FILE}
   * @throws IllegalArgumentException if {@code modelDir} is null
   * @throws IOException as for {@link #load}, once {@value #CONFIG_FILE} is there
   */
  public static Optional<ReasonModel> find(RankingModel encoder, Path modelDir) throws IOException {
    checkArgument(modelDir != null, "model directory is null");
    return Files.isRegularFile(modelDir.resolve(CONFIG_FILE)) ? Optional.of(load(encoder, modelDir)) : Optional.empty();
  }

  /**
   * The decoder shipped for the pretrained encoder named {@code pretrainedName}, bound to {@code
   * encoder}: that encoder itself; a student fine-tuned from it, whose training starts the decoder from
   * the shipped one; or the bundled student, whose fit was measured (docs/explanations.md). Elsewhere a
   * decoder fits only the encoder it was trained with.
   *
   * @param pretrainedName the pretrained encoder's name, the decoder's classpath folder
   * @param encoder the ranking model the decoder will read; not owned
   * @return the decoder, or empty when none is shipped for {@code pretrainedName} on the classpath
   * @throws IOException if the shipped files cannot be read or do not fit {@code encoder}
   */
  public static Optional<ReasonModel> shipped(String pretrainedName, RankingModel encoder) throws IOException {
    String folder = RESOURCE_DIR + pretrainedName + "/";
    try (InputStream in = ReasonModel.class.getResourceAsStream(folder + CONFIG_FILE)) {
      if (in == null) {
        return Optional.empty();
      }
      ReasonConfig config = readConfig(new String(in.readAllBytes(), StandardCharsets.UTF_8), folder + CONFIG_FILE)
          .withEncoder(encoder.config().name());
      Map<String, Tensor> tensors =
          SafeTensors.readResource(ReasonModel.class.getClassLoader(), folder + WEIGHTS_FILE).tensors();
      return Optional.of(
          withWeights(encoder, config, folder + CONFIG_FILE, tensors, "classpath:" + folder + WEIGHTS_FILE));
    }
  }

  private static ReasonConfig readConfig(String json, String source) throws IOException {
    try {
      return ReasonConfig.fromJson(JsonParser.parseString(json).getAsJsonObject());
    } catch (JsonParseException | IllegalStateException | IllegalArgumentException e) {
      throw new IOException(source + ": " + e.getMessage(), e);
    }
  }

  /** {@code configSource} names the config in errors that are about it, {@code source} the weights. */
  private static ReasonModel withWeights(
      RankingModel encoder, ReasonConfig config, String configSource, Map<String, Tensor> tensors, String source)
      throws IOException {
    WeightStore.requireLayers(tensors, ReasonDecoder.LAYER_PREFIX, config.decoderLayers(), "decoder_layers", source);
    ReasonModel model;
    try {
      model = new ReasonModel(encoder, config);
    } catch (IllegalArgumentException e) {
      // The config does not fit the encoder (its name, positions or start tokens).
      throw new IOException(configSource + ": " + e.getMessage(), e);
    }
    try {
      WeightStore.load(model.decoder, "", tensors, model.manager, source);
      return model;
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * Writes {@value #CONFIG_FILE} and {@value #WEIGHTS_FILE} ({@code dtype} F32 or F16) into {@code dir}.
   *
   * @param dir the directory, created if missing; files of the same names are replaced
   * @param dtype the weights' number format, {@link DType#F32} or {@link DType#F16}
   * @throws IllegalArgumentException if {@code dtype} is neither
   * @throws IOException if a file cannot be written
   */
  public void save(Path dir, DType dtype) throws IOException {
    checkArgument(dtype == DType.F32 || dtype == DType.F16, "weights are saved as F32 or F16, not %s", dtype);
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve(CONFIG_FILE),
        new GsonBuilder().setPrettyPrinting().create().toJson(config.toJson()) + "\n",
        StandardCharsets.UTF_8);
    SafeTensors.writeAs(dir.resolve(WEIGHTS_FILE), WeightStore.export(decoder, ""), Map.of("format", "pt"), dtype);
  }

  /** {@return the decoder's shape, as {@value #CONFIG_FILE} stores it} */
  public ReasonConfig config() {
    return config;
  }

  /** {@return the decoder block; its weights belong to this model} */
  public ReasonDecoder decoder() {
    return decoder;
  }

  /**
   * {@return the ranking model whose encoder this decoder reads; not owned (closing this model leaves it
   * open)}
   */
  public RankingModel encoder() {
    return encoder;
  }

  /** {@return the tied word embeddings [vocab, hidden]: the encoder's} */
  public NDArray wordTable() {
    return encoder.encoder().embeddings().wordEmbeddings().getArray();
  }

  /**
   * {@code [CLS] query [SEP] passage [SEP]} with the model's prefixes, cut to {@code maxInputTokens};
   * for a decoder with rank hints, {@code [CLS] rank r [SEP]} first.
   *
   * @param query the query
   * @param passage the passage to explain, read from its start
   * @param rank the passage's rank (1 = best) in the ranking being explained
   * @return the encoder input
   * @throws IllegalArgumentException if {@code query} or {@code passage} is null, or {@code rank} is
   *     less than 1
   */
  public ReasonInput pointwiseInput(String query, String passage, int rank) {
    checkArgument(query != null && passage != null, "query and passage must not be null");
    return assemble(ReasonKind.POINTWISE, query, List.of(ReasonPassage.whole(passage)), rank);
  }

  /**
   * {@link #pointwiseInput(String, String, int)} for a passage with a focus: of a passage longer than the
   * decoder reads, it reads the focus alone when the focus does not fit in what it reads from the start.
   *
   * @param query the query
   * @param passage the passage to explain, with its focus
   * @param rank the passage's rank (1 = best) in the ranking being explained
   * @return the encoder input
   * @throws IllegalArgumentException if {@code query} or {@code passage} is null, or {@code rank} is
   *     less than 1
   */
  public ReasonInput pointwiseInput(String query, ReasonPassage passage, int rank) {
    checkArgument(query != null && passage != null, "query and passage must not be null");
    return assemble(ReasonKind.POINTWISE, query, List.of(passage), rank);
  }

  /**
   * {@code [CLS] query [SEP] above [SEP] below [SEP]}, each passage cut to its share of the length; for
   * a decoder with rank hints, {@code [CLS] rank r [SEP]} first, r being the upper passage's rank.
   *
   * @param query the query
   * @param above the upper passage
   * @param below the passage ranked directly below it
   * @param aboveRank the rank (1 = best) of {@code above}, which is ranked directly above {@code below}
   * @return the encoder input
   * @throws IllegalArgumentException if {@code query} or a passage is null, or {@code aboveRank} is less
   *     than 1
   */
  public ReasonInput comparativeInput(String query, String above, String below, int aboveRank) {
    checkArgument(query != null && above != null && below != null, "query and passages must not be null");
    return assemble(ReasonKind.COMPARATIVE, query, List.of(ReasonPassage.whole(above), ReasonPassage.whole(below)),
        aboveRank);
  }

  /**
   * {@link #comparativeInput(String, String, String, int)} for passages with a focus (see {@link
   * ReasonPassage}).
   *
   * @param query the query
   * @param above the upper passage, with its focus
   * @param below the passage ranked directly below it, with its focus
   * @param aboveRank the rank (1 = best) of {@code above}
   * @return the encoder input
   * @throws IllegalArgumentException if {@code query} or a passage is null, or {@code aboveRank} is less
   *     than 1
   */
  public ReasonInput comparativeInput(String query, ReasonPassage above, ReasonPassage below, int aboveRank) {
    checkArgument(query != null && above != null && below != null, "query and passages must not be null");
    return assemble(ReasonKind.COMPARATIVE, query, List.of(above, below), aboveRank);
  }

  /** The hint's tokens, {@code rank r} with r capped at the config's {@code rank_hints}; none without. */
  private long[] rankHint(int rank) {
    checkArgument(rank >= 1, "rank must be at least 1, got %s", rank);
    if (!config.hasRankHints()) {
      return new long[0];
    }
    TokenizedText tokens = encoder.tokenizer().tokenize("rank " + Math.min(rank, config.rankHints()));
    return tokens.ids(0, tokens.length());
  }

  private ReasonInput assemble(ReasonKind kind, String query, List<ReasonPassage> passages, int rank) {
    TextTokenizer tokenizer = encoder.tokenizer();
    long[] hint = rankHint(rank);
    int hintLength = hint.length == 0 ? 0 : hint.length + 1;
    TokenizedText queryTokens = tokenizer.tokenize(encoder.config().queryPrefix() + query);
    long[] queryIds = queryTokens.ids(0, Math.min(queryTokens.length(), config.maxInputTokens() / 4));
    List<TokenizedText> passageTokens = new ArrayList<>();
    List<long[]> passageIds = new ArrayList<>();
    for (ReasonPassage p : passages) {
      TokenizedText tokens = tokenizer.tokenize(encoder.config().passagePrefix() + p.text());
      passageTokens.add(tokens);
      passageIds.add(tokens.ids(0, tokens.length()));
    }
    // Room left after [CLS], the rank hint, the query, and one [SEP] per part; shared fairly, a short
    // passage's unused share going to the other.
    int room = config.maxInputTokens() - 2 - hintLength - queryIds.length - passages.size();
    int[] budget = new int[passageIds.size()];
    int remaining = room;
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < passageIds.size(); i++) {
      order.add(i);
    }
    order.sort((a, b) -> Integer.compare(passageIds.get(a).length, passageIds.get(b).length));
    for (int k = 0; k < order.size(); k++) {
      int i = order.get(k);
      int share = remaining / (order.size() - k);
      budget[i] = Math.min(passageIds.get(i).length, share);
      remaining -= budget[i];
    }
    int prefixChars = encoder.config().passagePrefix().length();
    List<PassageWindow> windows = new ArrayList<>();
    int length = 2 + hintLength + queryIds.length + passages.size();
    for (int i = 0; i < passages.size(); i++) {
      PassageWindow window = PassageWindow.of(passageTokens.get(i), passages.get(i), prefixChars, budget[i]);
      windows.add(window);
      length += window.prefixTokens() + window.count();
    }
    long[] ids = new long[length];
    int at = 0;
    ids[at++] = tokenizer.clsId();
    if (hintLength > 0) {
      System.arraycopy(hint, 0, ids, at, hint.length);
      at += hint.length;
      ids[at++] = tokenizer.sepId();
    }
    int copyFrom = at;
    System.arraycopy(queryIds, 0, ids, at, queryIds.length);
    at += queryIds.length;
    ids[at++] = tokenizer.sepId();
    for (int i = 0; i < passages.size(); i++) {
      PassageWindow window = windows.get(i);
      System.arraycopy(passageIds.get(i), 0, ids, at, window.prefixTokens());
      at += window.prefixTokens();
      System.arraycopy(passageIds.get(i), window.from(), ids, at, window.count());
      at += window.count();
      ids[at++] = tokenizer.sepId();
    }
    return new ReasonInput(kind, new InputSequence(ids, new long[ids.length]), copyFrom);
  }

  /**
   * The tokens of a passage (its prefix, such as "passage: ", included) that the decoder reads: the
   * first {@code prefixTokens}, then {@code count} from {@code from} on.
   */
  private record PassageWindow(int prefixTokens, int from, int count) {
    /**
     * What the decoder reads of {@code tokens} ({@code passage} with its prefix of {@code prefixChars}
     * chars) given {@code budget} tokens: the start, when the passage fits or its focus ends within what
     * is read from the start; otherwise the prefix and the focus alone (up to the budget). The focus
     * alone, rather than a longer window from it on, because it gave reasons closest to the teacher's:
     * on DL19 passages put inside long documents, ROUGE-L 0.340 against 0.333 with 48 or 96 tokens from
     * the focus on, 0.274 from the start, 0.350 for the passage alone (docs/explanations.md).
     */
    static PassageWindow of(TokenizedText tokens, ReasonPassage passage, int prefixChars, int budget) {
      PassageWindow fromStart = new PassageWindow(0, 0, budget);
      if (budget <= 0 || tokens.length() <= budget || passage.focusEnd() == 0
          || tokens.end(budget - 1) >= prefixChars + passage.focusEnd()) {
        return fromStart;
      }
      int prefixTokens = tokensBefore(tokens, prefixChars);
      int first = Math.max(prefixTokens, tokensBefore(tokens, prefixChars + passage.focusStart()));
      int count = Math.min(budget - prefixTokens, tokensBefore(tokens, prefixChars + passage.focusEnd()) - first);
      // No room for any of the passage's own text, or a focus without tokens: nothing to move to.
      return count <= 0 ? fromStart : new PassageWindow(prefixTokens, first, count);
    }
  }

  /** How many of {@code tokens} start before char {@code offset}. */
  private static int tokensBefore(TokenizedText tokens, int offset) {
    int n = 0;
    while (n < tokens.length() && tokens.start(n) < offset) {
      n++;
    }
    return n;
  }

  /**
   * The encoder states the decoder attends to, for a padded batch {@code [ids, typeIds, mask]}: the
   * ranking encoder's last hidden state, without gradients, computed op by op in float32 ({@link
   * RankingModel#hiddenStates}), as the decoder is trained on them. Generation reads the same states
   * from the encoder's faster inference path ({@link RankingModel#inferenceHiddenStates}: float32
   * equal to these up to rounding, or the reranker's lower precision).
   *
   * @param ps the parameter store of the call
   * @param inputs the padded batch {@code [ids, typeIds, mask]}, each [batch, len]
   * @return the encoder states [batch, len, hidden]
   */
  public NDArray memory(ParameterStore ps, NDList inputs) {
    return encoder.hiddenStates(ps, inputs, false);
  }

  /**
   * Decodes one reason for {@code input} (from {@link #pointwiseInput} or {@link #comparativeInput}),
   * with its first letter upper-cased (uncased vocabularies decode to lower case).
   *
   * @param input the encoder input; non-null
   * @param options how to decode
   * @return the reason, possibly empty (when the decoder ends at once)
   * @throws IllegalArgumentException if {@code options} is null or fails {@link #checkDecoding}
   */
  public String generate(ReasonInput input, DecodingOptions options) {
    return generate(List.of(input), options).get(0);
  }

  /**
   * Decodes a reason for each input, all in one batch (one model pass per step for all of them); each
   * result is the one {@link #generate(ReasonInput, DecodingOptions)} gives for that input alone, up
   * to float rounding between batch shapes.
   *
   * @param inputs the encoder inputs, at least one
   * @param options how to decode
   * @return one reason per input, in input order
   * @throws IllegalArgumentException if {@code inputs} is null, empty or holds null, or {@code options} is
   *     null or fails {@link #checkDecoding}
   */
  public List<String> generate(List<ReasonInput> inputs, DecodingOptions options) {
    List<String> out = new ArrayList<>();
    for (long[] ids : generateIds(inputs, options)) {
      String text = tidySpacing(encoder.tokenizer().decode(ids)).strip();
      out.add(text.isEmpty() ? text : capitalised(text));
    }
    return out;
  }

  /**
   * Joins what WordPiece decoding leaves apart: no space before {@code . , ! ? ; :}, and {@code ' s},
   * {@code doesn ' t} become {@code 's}, {@code doesn't} (HF's {@code clean_up_tokenization_spaces},
   * plus quotes). Word-level metrics (ROUGE-L, groundedness) see the same words either way.
   */
  static String tidySpacing(String text) {
    return text.replaceAll(" ([.,!?;:])", "$1")
        .replaceAll(" ' (s|t|m|re|ve|ll|d)\\b", "'$1")
        .replaceAll("' ([^']*?) '", "'$1'");
  }

  private static String capitalised(String text) {
    int first = text.offsetByCodePoints(0, 1);
    return text.substring(0, first).toUpperCase(Locale.ROOT) + text.substring(first);
  }

  /**
   * {@link #checkDecoding Checks} {@code options} and builds now the vocabulary tables their word rules
   * read (one pass over the vocabulary, 0.1-0.2 s for BERT's 30,522 pieces), which would otherwise be
   * built by the first call that decodes with them: a host that prepares at start-up keeps that time
   * out of its first request. Safe to call more than once.
   *
   * @param options the options reasons will be decoded with
   * @throws IllegalArgumentException as {@link #checkDecoding} does
   */
  public void prepare(DecodingOptions options) {
    checkDecoding(options);
    boolean ungroundedLimit = options.maxUngroundedWords() != DecodingOptions.UNLIMITED;
    if (options.wholeWordCopies() || options.maxWordOccurrences() != DecodingOptions.UNLIMITED || ungroundedLimit) {
      vocabularyWords.get();
    }
    if (ungroundedLimit) {
      functionTokens.get();
    }
  }

  /**
   * Fails unless this decoder can decode with {@code options}: its positions end at {@code
   * max_reason_tokens}, start token included.
   *
   * @param options the options to check
   * @throws IllegalArgumentException if {@code options} is null, or its {@code maxTokens} is not below
   *     the config's {@code maxReasonTokens}
   */
  public void checkDecoding(DecodingOptions options) {
    checkArgument(options != null, "decoding options are null");
    checkArgument(
        options.maxTokens() < config.maxReasonTokens(),
        "maxTokens %s must be below the decoder's max_reason_tokens %s",
        options.maxTokens(), config.maxReasonTokens());
  }

  /**
   * The token ids {@link #generate} decodes, without start and end tokens.
   *
   * @param input the encoder input; non-null
   * @param options how to decode
   * @return the generated ids, at most {@code options.maxTokens()}
   * @throws IllegalArgumentException if {@code options} is null or fails {@link #checkDecoding}
   */
  public long[] generateIds(ReasonInput input, DecodingOptions options) {
    return generateIds(List.of(input), options).get(0);
  }

  /**
   * The token ids {@link #generate(List, DecodingOptions)} decodes, one array per input.
   *
   * @param inputs the encoder inputs, at least one
   * @param options how to decode
   * @return per input, in input order, the generated ids without start and end tokens
   * @throws IllegalArgumentException if {@code inputs} is null, empty or holds null, or {@code options} is
   *     null or fails {@link #checkDecoding}
   */
  public List<long[]> generateIds(List<ReasonInput> inputs, DecodingOptions options) {
    checkArgument(inputs != null && !inputs.isEmpty(), "no inputs to generate reasons for");
    checkArgument(
        inputs.stream().allMatch(i -> i != null) && options != null, "inputs and options must not be null");
    checkDecoding(options);
    try (NDManager scope = manager.newSubManager()) {
      List<InputSequence> sequences = inputs.stream().map(ReasonInput::sequence).toList();
      PaddedBatch batch = new PaddedBatch(sequences);
      NDList arrays = batch.toNDList(scope);
      ParameterStore ps = new ParameterStore(scope, false);
      NDArray memory = encoder.inferenceHiddenStates(ps, arrays, batch.padded());
      // In bf16 the output product reads the word table's bfloat16 copy: the product reads the whole
      // table at every generated token, and bfloat16 halves the bytes read.
      BFloat16Product outputProduct = encoder.bfloat16WordTable().orElse(null);
      int width = (int) arrays.get(0).getShape().get(1);
      NDArray copyMask = decoder.copies() ? copyMask(scope, inputs, width) : null;
      DecoderState state = decoder.start(ps, memory, ReasonDecoder.memoryBias(arrays.get(2)), copyMask);
      TokenScorer scorer = new DecoderScorer(
          decoder, ps, wordTable(), outputProduct, state, scope, options.copyBias(), copyableTokens(inputs),
          paddedIds(sequences, width), options.wholeWordCopies() ? wordRules(inputs) : null);
      if (options.maxUngroundedWords() != DecodingOptions.UNLIMITED) {
        scorer = new UngroundedWordLimit(scorer, groundedWords(inputs), options.maxUngroundedWords());
      }
      // Words are WordPiece words: without ## pieces every piece would count as a word, suffixes included,
      // and the limit would refuse pieces inside words. Such a vocabulary gets no limit (documented).
      if (options.maxWordOccurrences() != DecodingOptions.UNLIMITED && !vocabularyWords.get().continuations().isEmpty()) {
        scorer = new WordRepeatLimit(scorer, inputs.size(), vocabularyWords.get(), options.maxWordOccurrences());
      }
      long[] starts = inputs.stream().mapToLong(i -> startToken(i.kind())).toArray();
      return SequenceSearch.search(
          scorer, starts, encoder.tokenizer().sepId(), new long[] {pointwiseStart, comparativeStart}, options);
    }
  }

  /**
   * Tokens never copied from an input: [CLS], [SEP] and the tokens of the model's query and passage
   * prefixes (e5's "passage: " is not the passage's text).
   */
  private static Set<Long> notCopyable(RankingModel encoder) {
    TextTokenizer tokenizer = encoder.tokenizer();
    Set<Long> excluded = new HashSet<>(List.of(tokenizer.clsId(), tokenizer.sepId()));
    for (String prefix : List.of(encoder.config().queryPrefix(), encoder.config().passagePrefix())) {
      TokenizedText tokens = tokenizer.tokenize(prefix);
      for (long id : tokens.ids(0, tokens.length())) {
        excluded.add(id);
      }
    }
    return excluded;
  }

  /** Per input, what a grounded reason may write ({@link DecodingOptions#maxUngroundedWords}). */
  private GroundedWords[] groundedWords(List<ReasonInput> inputs) {
    boolean[] shared = new boolean[(int) wordTable().getShape().get(0)];
    for (long id : functionTokens.get()) {
      shared[(int) id] = true;
    }
    shared[(int) encoder.tokenizer().sepId()] = true;
    GroundedWords[] out = new GroundedWords[inputs.size()];
    for (int i = 0; i < out.length; i++) {
      InputSequence sequence = inputs.get(i).sequence();
      out[i] = new GroundedWords(shared, sequence.ids(), inputs.get(i).copyFrom(), sequence.length(), notCopyable,
          vocabularyWords.get().continuations());
    }
    return out;
  }

  /**
   * Tokens of English function words ({@link StopWords#ENGLISH}) and punctuation that the tokenizer
   * writes as one token: what a grounded reason may add to its input's words.
   */
  private static Set<Long> functionTokens(RankingModel encoder) {
    TextTokenizer tokenizer = encoder.tokenizer();
    Set<Long> out = new HashSet<>();
    List<String> words = new ArrayList<>(StopWords.ENGLISH);
    for (char c : ".,;:!?'\"()-/%&".toCharArray()) {
      words.add(String.valueOf(c));
    }
    for (String word : words) {
      TokenizedText tokens = tokenizer.tokenize(word);
      if (tokens.length() == 1) {
        out.add(tokens.id(0));
      }
    }
    return out;
  }

  private WordContinuations[] wordRules(List<ReasonInput> inputs) {
    WordContinuations[] out = new WordContinuations[inputs.size()];
    for (int i = 0; i < out.length; i++) {
      InputSequence sequence = inputs.get(i).sequence();
      out[i] = new WordContinuations(sequence.ids(), sequence.length(), vocabularyWords.get().continuations());
    }
    return out;
  }

  /** Per input, the distinct ids of its copyable tokens (what a copy bias raises). */
  private int[][] copyableTokens(List<ReasonInput> inputs) {
    int[][] out = new int[inputs.size()][];
    for (int i = 0; i < out.length; i++) {
      ReasonInput input = inputs.get(i);
      long[] ids = input.sequence().ids();
      out[i] = Arrays.stream(ids, input.copyFrom(), ids.length)
          .filter(id -> !notCopyable.contains(id))
          .distinct()
          .mapToInt(id -> (int) id)
          .toArray();
    }
    return out;
  }

  /**
   * The copy mask {@link ReasonDecoder#forward} takes, [rows, 1, width]: 0 where the row's token may be
   * copied, {@link ReasonDecoder#MASKED} at padding, at tokens that are never copied and before the
   * input's {@link ReasonInput#copyFrom()}.
   *
   * @param scope the manager that owns the mask
   * @param inputs the batch's inputs, one row each
   * @param width the padded batch's length; at least every input's length
   * @return the mask, float32 [inputs, 1, width]
   */
  public NDArray copyMask(NDManager scope, List<ReasonInput> inputs, int width) {
    float[] mask = new float[inputs.size() * width];
    Arrays.fill(mask, ReasonDecoder.MASKED);
    for (int r = 0; r < inputs.size(); r++) {
      long[] ids = inputs.get(r).sequence().ids();
      for (int t = inputs.get(r).copyFrom(); t < ids.length; t++) {
        if (!notCopyable.contains(ids[t])) {
          mask[r * width + t] = 0f;
        }
      }
    }
    return scope.create(mask, new Shape(inputs.size(), 1, width));
  }

  private static long[][] paddedIds(List<InputSequence> sequences, int width) {
    long[][] out = new long[sequences.size()][width];
    for (int r = 0; r < out.length; r++) {
      System.arraycopy(sequences.get(r).ids(), 0, out[r], 0, sequences.get(r).length());
    }
    return out;
  }

  /** Releases the decoder's weights; the encoder stays open. */
  @Override
  public void close() {
    manager.close();
  }
}
