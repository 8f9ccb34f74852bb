package io.github.r2r.model;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.r2r.model.io.BertOnnxImporter;
import io.github.r2r.model.io.DType;
import io.github.r2r.model.io.MalformedWeightsException;
import io.github.r2r.model.io.OnnxWeights;
import io.github.r2r.model.io.SafeTensors;
import io.github.r2r.model.io.Tensor;
import io.github.r2r.text.InputSequence;
import io.github.r2r.text.PaddedBatch;
import io.github.r2r.text.TextTokenizer;
import io.github.r2r.util.Utf8Files;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A loaded scoring model: config, tokenizer, encoder and (for cross-encoders) the rank head, with
 * their weights in native memory owned by this object.
 *
 * <p>A model directory holds {@code config.json} (HF architecture + the {@code r2r} section),
 * {@code tokenizer.json}, {@code model.safetensors} (fp32 or fp16) and a model card {@code README.md}.
 * Weight names follow HF: {@code BertModel} names for bi-encoders; {@code bert.*} +
 * {@code classifier.*} ({@code BertForSequenceClassification}, one label) for cross-encoders.
 *
 * <p>Inference methods ({@link #embed}, {@link #crossScores}) are thread-safe: each call works in its own
 * native memory scope, released when it returns. They run a fused inference path that equals the
 * op-by-op path of {@link #hiddenStates} (used for training) up to float rounding.
 */
public final class RankingModel implements AutoCloseable {
  /** The config file of a model directory ({@link ModelConfig} as JSON). */
  public static final String CONFIG_FILE = "config.json";
  /** The tokenizer file of a model directory (HF tokenizers JSON). */
  public static final String TOKENIZER_FILE = "tokenizer.json";
  /** The weights file of a model directory (safetensors, fp32 or fp16). */
  public static final String WEIGHTS_FILE = "model.safetensors";
  /** The model card of a model directory (Markdown). */
  public static final String CARD_FILE = "README.md";

  private final ModelConfig config;
  private final byte[] tokenizerJson;
  private final TextTokenizer tokenizer;
  private final NDManager manager;
  private final BertEncoder encoder;
  private final BertPooler pooler;
  private final RankHead head;
  /** The bfloat16 or int8 inference path, when {@link #setInferencePrecision} asked for one. */
  private volatile ScriptedEncoder lowPrecision;

  /** {@code tokenizerSource} names the tokenizer's file or resource in errors. */
  private RankingModel(ModelConfig config, byte[] tokenizerJson, String tokenizerSource, Device device)
      throws IOException {
    this.config = config;
    this.tokenizerJson = tokenizerJson.clone();
    OpenMpWaitPolicy.preferPassiveWaiting();
    // The engine first (it fails for a missing GPU), then the tokenizer, closing the engine's memory if
    // the tokenizer fails: a failed load leaves no native resource behind.
    this.manager = NDManager.newBaseManager(Engines.resolve(device), "PyTorch");
    TextTokenizer loaded = null;
    try {
      loaded = TextTokenizer.fromStream(new ByteArrayInputStream(tokenizerJson), tokenizerSource);
      int tokens = loaded.vocabularySize().orElse(0);
      if (tokens > config.encoder().vocabSize()) {
        // Checked here: otherwise the first text holding such a token fails in the engine ("index out of range").
        throw new IOException(String.format(
            "%s has %d tokens (ids up to %d), but the model's vocab_size is %d: a token beyond it has no embedding,"
                + " so the tokenizer is not this model's",
            tokenizerSource, tokens, tokens - 1, config.encoder().vocabSize()));
      }
    } catch (IOException | RuntimeException e) {
      if (loaded != null) {
        loaded.close();
      }
      manager.close();
      throw e;
    }
    this.tokenizer = loaded;
    this.encoder = new BertEncoder(config.encoder());
    boolean cross = config.scoring() == ScoringMode.CROSS_ENCODER;
    this.pooler = cross ? new BertPooler(config.encoder()) : null;
    this.head = cross ? new RankHead(config.encoder()) : null;
  }

  /**
   * Loads a model directory (see the class comment).
   *
   * @param dir the model directory
   * @param device where to run; null for the first GPU if the engine has one, else the CPU
   * @return the model, to be closed by the caller
   * @throws IllegalArgumentException if {@code dir} is null
   * @throws IOException if {@code dir} is not a directory or lacks a file, or a file is unreadable or
   *     malformed (a config that is not valid, a tokenizer with more tokens than {@code vocab_size},
   *     weights that do not fit the config); the message names the file
   * @throws IllegalStateException if the PyTorch engine cannot start, or {@code device} is a GPU it does
   *     not see
   */
  public static RankingModel load(Path dir, Device device) throws IOException {
    checkArgument(dir != null, "model directory is null");
    if (!Files.isDirectory(dir)) {
      // A path to one of its files is a common slip; "not found" would send the caller looking elsewhere.
      throw new IOException(Files.exists(dir)
          ? "model directory " + dir.toAbsolutePath() + " is a file: give the directory that holds " + CONFIG_FILE
              + ", " + TOKENIZER_FILE + " and " + WEIGHTS_FILE
          : "model directory not found: " + dir.toAbsolutePath());
    }
    for (String required : List.of(CONFIG_FILE, TOKENIZER_FILE, WEIGHTS_FILE)) {
      if (!Files.isRegularFile(dir.resolve(required))) {
        throw new IOException("model directory " + dir + " has no " + required);
      }
    }
    ModelConfig config = parseConfig(Utf8Files.read(dir.resolve(CONFIG_FILE)), dir.resolve(CONFIG_FILE).toString());
    Map<String, Tensor> tensors = SafeTensors.read(dir.resolve(WEIGHTS_FILE)).tensors();
    Path tokenizer = dir.resolve(TOKENIZER_FILE);
    return withWeights(
        config, Files.readAllBytes(tokenizer), tokenizer.toString(), tensors, dir.resolve(WEIGHTS_FILE).toString(), device);
  }

  /** A {@value #CONFIG_FILE}'s text as a config; {@code source} names the file in the error. */
  static ModelConfig parseConfig(String json, String source) throws IOException {
    try {
      JsonElement parsed = JsonParser.parseString(json);
      if (!parsed.isJsonObject()) {
        throw new IOException(
            source + ": not a JSON object" + (json.isBlank() ? " (the file is empty)" : " (it starts with: "
                + json.strip().substring(0, Math.min(40, json.strip().length())) + ")"));
      }
      return ModelConfig.fromJson(parsed.getAsJsonObject());
    } catch (JsonParseException | IllegalStateException | IllegalArgumentException e) {
      throw new IOException(source + ": " + e.getMessage(), e);
    }
  }

  /**
   * A pretrained encoder from its carrier jar on the classpath, as a zero-shot bi-encoder.
   *
   * @param which the encoder
   * @param device where to run; null for the first GPU if the engine has one, else the CPU
   * @return the model, to be closed by the caller
   * @throws IOException if the carrier jar is not on the classpath (the message names the Maven
   *     dependency to add) or its files cannot be read
   * @throws IllegalStateException if the PyTorch engine cannot start, or {@code device} is a GPU it does
   *     not see
   */
  public static RankingModel pretrained(PretrainedEncoder which, Device device) throws IOException {
    return pretrained(which, which.config(), device);
  }

  /**
   * A pretrained encoder with the given config; a cross-encoder config gets a freshly initialised
   * pooler and rank head (seeded) on top of the pretrained encoder.
   *
   * @param which the encoder
   * @param config the model's config; its encoder part must be {@code which}'s architecture
   * @param device where to run; null for the first GPU if the engine has one, else the CPU
   * @return the model, to be closed by the caller
   * @throws IOException if the carrier jar is not on the classpath (the message names the Maven
   *     dependency to add), its files cannot be read, or its weights do not fit {@code config}
   * @throws IllegalStateException if the PyTorch engine cannot start, or {@code device} is a GPU it does
   *     not see
   */
  public static RankingModel pretrained(PretrainedEncoder which, ModelConfig config, Device device)
      throws IOException {
    return pretrained(which, config, Map.of(), device);
  }

  /**
   * A pretrained encoder with some of its weights replaced (the bundled student, {@link BundledModel}).
   *
   * @throws MalformedWeightsException when a replacement names a weight the encoder does not have
   */
  static RankingModel pretrained(
      PretrainedEncoder which, ModelConfig config, Map<String, Tensor> replacements, Device device)
      throws IOException {
    byte[] tokenizerJson = readResource(which.tokenizerResource(), which);
    if (RankingModel.class.getResource(which.onnxResource()) == null) {
      throw missingResource(which.onnxResource(), which);
    }
    Map<String, Tensor> tensors =
        new LinkedHashMap<>(BertOnnxImporter.huggingFaceParameters(OnnxWeights.readResource(which.onnxResource())));
    for (Map.Entry<String, Tensor> replacement : replacements.entrySet()) {
      if (!tensors.containsKey(replacement.getKey())) {
        throw new MalformedWeightsException(
            "weight " + replacement.getKey() + " replaces nothing: " + which.modelName() + " has no such weight");
      }
      tensors.put(replacement.getKey(), replacement.getValue());
    }
    RankingModel model = new RankingModel(config, tokenizerJson, which.tokenizerResource(), device);
    try {
      WeightStore.load(model.encoder, "", tensors, model.manager, which.onnxResource());
      if (model.head != null) {
        WeightStore.initialize(model.pooler, model.manager, 42);
        WeightStore.initialize(model.head, model.manager, 43);
      }
      return model;
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * A model with freshly initialised weights (BERT initialisation, seeded) — for tests and for
   * training from scratch. The tokenizer's vocabulary must fit {@code config.encoder().vocabSize()}.
   *
   * @param config the architecture
   * @param tokenizerJson an HF {@code tokenizer.json}'s bytes, copied
   * @param device where to run; null for the first GPU if the engine has one, else the CPU
   * @param seed seed of the initialiser; equal seeds give equal weights
   * @return the model, to be closed by the caller
   * @throws IOException if the tokenizer cannot be parsed or has more tokens than the vocabulary
   * @throws IllegalStateException if the PyTorch engine cannot start, or {@code device} is a GPU it does
   *     not see
   */
  public static RankingModel initialized(ModelConfig config, byte[] tokenizerJson, Device device, long seed)
      throws IOException {
    RankingModel model = new RankingModel(config, tokenizerJson, "tokenizer of " + config.name(), device);
    long blockSeed = seed;
    for (HfBlock block : model.blocks().values()) {
      WeightStore.initialize(block, model.manager, blockSeed++);
    }
    return model;
  }

  /**
   * A model with the given config, tokenizer and weights (named as {@link #exportWeights} names them),
   * for weights computed rather than read from a file, such as an interpolation of two models.
   *
   * @param config the architecture
   * @param tokenizerJson an HF {@code tokenizer.json}'s bytes, copied
   * @param tensors the weights by name; only read
   * @param device where to run; null for the first GPU if the engine has one, else the CPU
   * @return the model, to be closed by the caller
   * @throws IllegalArgumentException if an argument other than {@code device} is null
   * @throws MalformedWeightsException when a weight the config needs is missing or has the wrong shape
   * @throws IOException if the tokenizer cannot be parsed or has more tokens than the vocabulary
   * @throws IllegalStateException if the PyTorch engine cannot start, or {@code device} is a GPU it does
   *     not see
   */
  public static RankingModel of(
      ModelConfig config, byte[] tokenizerJson, Map<String, Tensor> tensors, Device device) throws IOException {
    checkArgument(config != null && tokenizerJson != null && tensors != null, "config, tokenizer or weights are null");
    return withWeights(config, tokenizerJson, "tokenizer of " + config.name(), tensors, "weights of " + config.name(), device);
  }

  private static RankingModel withWeights(
      ModelConfig config,
      byte[] tokenizerJson,
      String tokenizerSource,
      Map<String, Tensor> tensors,
      String source,
      Device device)
      throws IOException {
    WeightStore.requireLayers(
        tensors, weightPrefix(tensors) + "encoder.layer.", config.encoder().numHiddenLayers(), "num_hidden_layers",
        source);
    RankingModel model = new RankingModel(config, tokenizerJson, tokenizerSource, device);
    try {
      model.loadWeights(tensors, source);
      return model;
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** Where the encoder's weights are: under {@code bert.} for a cross-encoder, at the top for a bi-encoder. */
  private static String weightPrefix(Map<String, Tensor> tensors) {
    return tensors.containsKey("bert.embeddings.word_embeddings.weight") ? "bert." : "";
  }

  private void loadWeights(Map<String, Tensor> tensors, String source) throws MalformedWeightsException {
    WeightStore.load(encoder, weightPrefix(tensors), tensors, manager, source);
    if (head != null) {
      WeightStore.load(pooler, "bert.pooler.", tensors, manager, source);
      WeightStore.load(head, "classifier.", tensors, manager, source);
    }
  }

  /**
   * Writes this model as a model directory; {@code dtype} is F32 or F16 for the weights file.
   *
   * @param dir the directory, created if missing; files of the same names are replaced
   * @param dtype the weights' number format, {@link DType#F32} or {@link DType#F16}
   * @param modelCard the text of {@value #CARD_FILE}
   * @throws IllegalArgumentException if {@code dtype} is neither F32 nor F16
   * @throws IOException if a file cannot be written
   */
  public void save(Path dir, DType dtype, String modelCard) throws IOException {
    checkArgument(dtype == DType.F32 || dtype == DType.F16, "weights are saved as F32 or F16, not %s", dtype);
    writeConfigAndCard(dir, modelCard);
    Files.write(dir.resolve(TOKENIZER_FILE), tokenizerJson);
    SafeTensors.writeAs(dir.resolve(WEIGHTS_FILE), exportWeights(), Map.of("format", "pt"), dtype);
  }

  /** Creates {@code dir} if needed and writes this model's {@value #CONFIG_FILE} and model card there. */
  void writeConfigAndCard(Path dir, String modelCard) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve(CONFIG_FILE),
        new GsonBuilder().setPrettyPrinting().create().toJson(config.toJson()),
        StandardCharsets.UTF_8);
    Files.writeString(dir.resolve(CARD_FILE), modelCard, StandardCharsets.UTF_8);
  }

  /** {@return all weights under their HF names (see the class comment), fp32, in a new map} */
  public Map<String, Tensor> exportWeights() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    if (head == null) {
      out.putAll(WeightStore.export(encoder, ""));
    } else {
      out.putAll(WeightStore.export(encoder, "bert."));
      out.putAll(WeightStore.export(pooler, "bert.pooler."));
      out.putAll(WeightStore.export(head, "classifier."));
    }
    return out;
  }

  /**
   * Pooled and L2-normalised embeddings of single sequences, one row per sequence.
   *
   * @param sequences the tokenized texts, at least one; batched together as given
   * @return {@code [sequences][hidden]}, each row of unit length (or zero)
   * @throws IllegalArgumentException if {@code sequences} is empty
   */
  public float[][] embed(List<InputSequence> sequences) {
    checkArgument(!sequences.isEmpty(), "nothing to embed");
    try (NDManager scope = manager.newSubManager()) {
      PaddedBatch batch = new PaddedBatch(sequences);
      NDList inputs = batch.toNDList(scope);
      NDArray hidden = inferHiddenStates(new ParameterStore(scope, false), inputs, batch.padded());
      NDArray pooled = config.pooling().pool(hidden, inputs.get(2));
      NDArray normalised = pooled.div(pooled.norm(new int[] {1}, true).maximum(1e-12f));
      float[] flat = normalised.toFloatArray();
      int dim = config.encoder().hiddenSize();
      float[][] rows = new float[sequences.size()][dim];
      for (int r = 0; r < rows.length; r++) {
        System.arraycopy(flat, r * dim, rows[r], 0, dim);
      }
      return rows;
    }
  }

  /**
   * A sequence encoded once: its pooled, L2-normalised embedding (as {@link #embed} returns it) and its
   * last hidden state, {@code [length][hidden]}, padding dropped.
   */
  public record Encoded(float[] embedding, float[][] tokenStates) {}

  /**
   * {@link #embed} that also returns every token's state, from the same pass; for heads that read
   * token states, such as the evidence head's sentence spans.
   *
   * @param sequences the tokenized texts, at least one; batched together as given
   * @return one result per sequence, in order
   * @throws IllegalArgumentException if {@code sequences} is empty
   */
  public List<Encoded> encode(List<InputSequence> sequences) {
    checkArgument(!sequences.isEmpty(), "nothing to encode");
    try (NDManager scope = manager.newSubManager()) {
      PaddedBatch batch = new PaddedBatch(sequences);
      NDList inputs = batch.toNDList(scope);
      NDArray hidden = inferHiddenStates(new ParameterStore(scope, false), inputs, batch.padded());
      NDArray pooled = config.pooling().pool(hidden, inputs.get(2));
      float[] embeddings = pooled.div(pooled.norm(new int[] {1}, true).maximum(1e-12f)).toFloatArray();
      int width = (int) hidden.getShape().get(1);
      int dim = config.encoder().hiddenSize();
      float[] states = hidden.toFloatArray();
      List<Encoded> out = new ArrayList<>(sequences.size());
      for (int s = 0; s < sequences.size(); s++) {
        float[] embedding = new float[dim];
        System.arraycopy(embeddings, s * dim, embedding, 0, dim);
        float[][] tokens = new float[sequences.get(s).length()][dim];
        for (int t = 0; t < tokens.length; t++) {
          System.arraycopy(states, (s * width + t) * dim, tokens[t], 0, dim);
        }
        out.add(new Encoded(embedding, tokens));
      }
      return out;
    }
  }

  /**
   * Rank-head logits of {@code [CLS] query [SEP] doc [SEP]} sequences (cross-encoders only).
   *
   * @param sequences the query-document pairs, at least one; batched together as given
   * @return one logit per sequence, in order (higher is more relevant)
   * @throws IllegalStateException if this model is not a cross-encoder
   * @throws IllegalArgumentException if {@code sequences} is empty
   */
  public float[] crossScores(List<InputSequence> sequences) {
    checkState(head != null, "model %s is a %s; it has no rank head", config.name(), config.scoring());
    checkArgument(!sequences.isEmpty(), "nothing to score");
    try (NDManager scope = manager.newSubManager()) {
      PaddedBatch batch = new PaddedBatch(sequences);
      NDList inputs = batch.toNDList(scope);
      ParameterStore ps = new ParameterStore(scope, false);
      NDArray hidden = inferHiddenStates(ps, inputs, batch.padded());
      return head.score(ps, pooler.pool(ps, hidden, false), false).toFloatArray();
    }
  }

  /**
   * The number format of the inference methods ({@link #embed}, {@link #encode}, {@link
   * #crossScores}); {@link Precision#FP32} until set. {@link Precision#BF16} and {@link
   * Precision#INT8} take converted copies of the encoder's weights as they are now, so set it after
   * loading and not on a model being trained (training reads {@link #hiddenStates}, always float32).
   * Call before the model serves requests.
   *
   * @param precision the number format; {@link Precision#FP32} drops a converted copy
   * @throws IllegalArgumentException if {@code precision} is null
   */
  public synchronized void setInferencePrecision(Precision precision) {
    checkArgument(precision != null, "precision is null");
    ScriptedEncoder previous = lowPrecision;
    lowPrecision = precision == Precision.FP32 ? null : new ScriptedEncoder(encoder, manager, precision);
    if (previous != null) {
      previous.close();
    }
  }

  /** {@return the number format of the inference methods (see {@link #setInferencePrecision})} */
  public Precision inferencePrecision() {
    ScriptedEncoder current = lowPrecision;
    return current != null ? current.precision() : Precision.FP32;
  }

  /**
   * The last hidden state for a padded batch {@code [ids, typeIds, mask]}, computed by the inference
   * path {@link #embed} and {@link #encode} use (in the {@linkplain #setInferencePrecision inference
   * precision}), without gradients, in {@code ps}'s manager; for inference-time heads that read token
   * states, such as the reason decoder. Training reads {@link #hiddenStates}.
   *
   * @param ps the parameter store; its manager owns the result
   * @param inputs {@code [ids, typeIds, mask]}, each [batch, len]
   * @param padded whether some sequence of the batch is shorter than the batch ({@code
   *     PaddedBatch.padded()}); false lets the attention skip the padding mask
   * @return the last hidden state [batch, len, hidden]
   */
  public NDArray inferenceHiddenStates(ParameterStore ps, NDList inputs, boolean padded) {
    return inferHiddenStates(ps, inputs, padded);
  }

  /**
   * The word embeddings [vocab, hidden] as a {@link BFloat16Product}, for inference-time heads that
   * multiply by the whole table (the reason decoder's output product); present only while the
   * inference precision is {@link Precision#BF16}. Like the encoder's converted weights it is a copy
   * (made when first asked for), closed when the precision changes or the model closes.
   *
   * @return the bfloat16 word table, or empty unless the inference precision is bfloat16
   */
  public Optional<BFloat16Product> bfloat16WordTable() {
    ScriptedEncoder current = lowPrecision;
    return current == null ? Optional.empty() : current.bfloat16WordTable();
  }

  /** The inference path of {@link #embed} and {@link #crossScores}: see {@link BertEncoder#infer}. */
  private NDArray inferHiddenStates(ParameterStore ps, NDList inputs, boolean padded) {
    ScriptedEncoder scripted = lowPrecision;
    if (scripted != null) {
      return scripted.infer(ps.getManager(), inputs.get(0), inputs.get(1), inputs.get(2), padded);
    }
    return encoder.infer(ps, inputs.get(0), inputs.get(1), inputs.get(2), padded);
  }

  /**
   * The last hidden state for {@code [ids, typeIds, mask]}, computed op by op as HF writes it; for
   * training code and heads, and the reference the faster inference path of {@link #embed} and {@link
   * #crossScores} is tested against.
   *
   * @param ps the parameter store; its manager owns the result
   * @param inputs {@code [ids, typeIds, mask]}, each [batch, len]
   * @param training whether to apply dropout and record gradients
   * @return the last hidden state [batch, len, hidden], float32
   */
  public NDArray hiddenStates(ParameterStore ps, NDList inputs, boolean training) {
    return encoder.encode(ps, inputs.get(0), inputs.get(1), inputs.get(2), training);
  }

  /**
   * Un-normalised pooled embeddings (config's pooling) for {@code [ids, typeIds, mask]}.
   *
   * @param ps the parameter store; its manager owns the result
   * @param inputs {@code [ids, typeIds, mask]}, each [batch, len]
   * @param training whether to apply dropout and record gradients
   * @return the embeddings [batch, hidden]
   */
  public NDArray pooledEmbedding(ParameterStore ps, NDList inputs, boolean training) {
    return config.pooling().pool(hiddenStates(ps, inputs, training), inputs.get(2));
  }

  /**
   * Rank-head logits for {@code [ids, typeIds, mask]}, computed op by op (the training path).
   *
   * @param ps the parameter store; its manager owns the result
   * @param inputs {@code [ids, typeIds, mask]}, each [batch, len]
   * @param training whether to apply dropout and record gradients
   * @return the logits [batch]
   * @throws IllegalStateException if this model is not a cross-encoder
   */
  public NDArray crossLogits(ParameterStore ps, NDList inputs, boolean training) {
    checkState(head != null, "model %s is a %s; it has no rank head", config.name(), config.scoring());
    NDArray hidden = hiddenStates(ps, inputs, training);
    return head.score(ps, pooler.pool(ps, hidden, training), training);
  }

  /** {@return the model's config} */
  public ModelConfig config() {
    return config;
  }

  /** {@return the tokenizer file's bytes, as {@link #save} writes them (a copy)} */
  public byte[] tokenizerJson() {
    return tokenizerJson.clone();
  }

  /** {@return the model's tokenizer; owned by this model} */
  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  /** {@return the encoder block (float32 weights, whatever the inference precision)} */
  public BertEncoder encoder() {
    return encoder;
  }

  /** {@return every trainable block by the prefix its weights are saved under, in a new map} */
  public Map<String, HfBlock> blocks() {
    Map<String, HfBlock> blocks = new LinkedHashMap<>();
    if (head == null) {
      blocks.put("", encoder);
    } else {
      blocks.put("bert.", encoder);
      blocks.put("bert.pooler.", pooler);
      blocks.put("classifier.", head);
    }
    return blocks;
  }

  /** {@return the manager that owns the model's weights; closed with the model} */
  public NDManager manager() {
    return manager;
  }

  /** {@return the device the model runs on} */
  public Device device() {
    return manager.getDevice();
  }

  /** Releases the weights' native memory, the tokenizer and any low-precision copy. */
  @Override
  public void close() {
    if (lowPrecision != null) {
      lowPrecision.close();
    }
    tokenizer.close();
    manager.close();
  }

  private static IOException missingResource(String resource, PretrainedEncoder which) {
    return new IOException(
        "classpath resource "
            + resource
            + " not found: add the dependency "
            + which.mavenCoordinates()
            + " (exclude its transitive dependencies) to use "
            + which.modelName());
  }

  private static InputStream openResource(String resource, PretrainedEncoder which) throws IOException {
    InputStream in = RankingModel.class.getResourceAsStream(resource);
    if (in == null) {
      throw missingResource(resource, which);
    }
    return in;
  }

  private static byte[] readResource(String resource, PretrainedEncoder which) throws IOException {
    try (InputStream in = openResource(resource, which)) {
      return in.readAllBytes();
    }
  }
}
