package io.github.r2r;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import ai.djl.Device;
import io.github.r2r.evidence.EvidenceFeatures;
import io.github.r2r.evidence.EvidenceHead;
import io.github.r2r.generate.DecodingOptions;
import io.github.r2r.generate.ReasonInput;
import io.github.r2r.generate.ReasonModel;
import io.github.r2r.generate.ReasonPassage;
import io.github.r2r.model.BundledModel;
import io.github.r2r.model.Engines;
import io.github.r2r.model.Precision;
import io.github.r2r.model.PretrainedEncoder;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.text.SentenceSplitter;
import io.github.r2r.util.ParallelBatches;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Reranks documents for a query with a local model, in-process.
 *
 * <pre>{@code
 * try (Reranker reranker = Reranker.builder().build()) {     // the bundled default model, CPU
 *   Ranking ranking = reranker.rerank("what is a cat", List.of("Cats are felines.", "Dogs bark."));
 *   ranking.topK(1).get(0).text();                           // "Cats are felines."
 * }
 * }</pre>
 *
 * <p>Contract: with {@link QueryFeedback} on, which the bundled default model uses (it moves the query
 * toward the best candidates before scoring them all again), a score depends on the other documents of
 * the call; {@code queryFeedback(QueryFeedback.none())} turns it off. Without it, scores depend only on
 * the model, the query and each document's own text. Either way they do not depend on batch size or
 * input order (in float32 up to float rounding: the batch a document lands in can change the last bits
 * of its score, by about 1e-7), and equal scores keep input order. With {@link
 * Precision#BF16} "only" holds up to bfloat16 rounding: the batch a document lands in can move its score
 * slightly (by under 1e-4 in the tests); with {@link Precision#INT8} up to int8 rounding (by under 1e-2
 * in the tests, the size of its difference from float32). Thread-safe: one instance may
 * serve many threads at once. Input rules: the query must be non-blank; documents must be non-null with
 * non-blank text of at most {@link Builder#maxDocumentChars(int)} characters and, for
 * {@link Document}s, unique ids; an empty list gives an empty ranking. Violations throw
 * {@link IllegalArgumentException} naming the offending document. Documents longer than the model's
 * input are scored by their best window ({@link LongDocumentStrategy}; by default at most 64 windows, so
 * text after about 13,000 tokens is not read). After {@link #close()} every call throws {@link
 * IllegalStateException}. Interrupting the calling thread (cancelling its {@code Future}, say) stops
 * the call before its next batch of documents: once the batches already running have finished, it
 * throws an {@link IllegalStateException} whose cause is an {@link InterruptedException}, the thread's
 * interrupt flag still set; the reranker stays usable.
 *
 * <p>Explanations are computed only when asked for: with {@code
 * Reranker.builder().explain(Explain.EVIDENCE)} each of the top 3 documents carries its {@link
 * Evidence}, the sentence the model relates most strongly to the query, with its offsets in the
 * document text; {@link Explain#POINTWISE} adds a generated reason to each of them and {@link
 * Explain#COMPARATIVE} one to each adjacent pair ({@link Ranking#comparisons()}). The reason decoder reads
 * about 300 tokens of a document (150 of each in a comparison): of a longer one, the start, or, when
 * evidence is asked for too and lies beyond the start, the evidence sentence ({@link
 * io.github.r2r.generate.ReasonPassage}).
 */
public final class Reranker implements AutoCloseable {
  private static final String NUM_THREADS = "ai.djl.pytorch.num_threads";
  private static final String NUM_INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";
  /**
   * Sequences per forward pass in float32: with length-sorted batches 8 beat 4, 16, 32 and 64 on DL19
   * candidates on 2 cores; larger batches pad more and overflow the caches (docs/performance.md).
   */
  public static final int DEFAULT_BATCH_SIZE = 8;
  /**
   * Sequences per forward pass with {@link Precision#BF16} or {@link Precision#INT8}: 4 beat 8 on DL19
   * for both (by 9 % in bfloat16, 7 % in int8; int8 at 2 tied with 4) (docs/performance.md).
   */
  public static final int DEFAULT_BATCH_SIZE_LOW_PRECISION = 4;

  private final RankingModel model;
  private final DocumentScorer scorer;
  private final EvidenceSelector evidence;
  private final ReasonModel reasons;
  private final boolean pointwise;
  private final boolean comparative;
  private final DecodingOptions decoding;
  private final int explainTopK;
  private final int maxDocumentChars;
  private final QueryFeedback feedback;
  /** Runs one call's batches (and reason groups) side by side. */
  private final ParallelBatches workers;
  /** Read side: a call in progress; write side: {@link #close()}. */
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  /** Guarded by {@link #lifecycle}. */
  private boolean closed;

  private Reranker(Builder builder) throws IOException {
    Engines.ensureOfflineDefaults();
    // Read by the PyTorch engine when it starts; ignored if the engine already runs in this JVM. By
    // default every core this JVM may use (which, unlike OpenMP's default, respects container CPU
    // quotas) runs whole batches with one engine thread each: measured faster on CPU than spreading
    // each op over the cores (docs/performance.md). Inference runs one op at a time per batch, so one
    // inter-op thread is enough.
    int cores = Runtime.getRuntime().availableProcessors();
    int workers =
        builder.workers > 0 ? builder.workers : builder.threads > 0 ? Math.max(1, cores / builder.threads) : cores;
    if (builder.threads > 0 || System.getProperty(NUM_THREADS) == null) {
      int threads = builder.threads > 0 ? builder.threads : Math.max(1, cores / workers);
      System.setProperty(NUM_THREADS, Integer.toString(threads));
    }
    if (System.getProperty(NUM_INTEROP_THREADS) == null) {
      System.setProperty(NUM_INTEROP_THREADS, "1");
    }
    Device device = builder.autoDevice ? null : builder.device;
    if (builder.modelDir != null) {
      model = RankingModel.load(builder.modelDir, device);
    } else if (builder.pretrained != null) {
      model = RankingModel.pretrained(builder.pretrained, device);
    } else {
      model = BundledModel.load(device);
    }
    // One place releases what a failed build had loaded, whatever step fails.
    ReasonModel loadedReasons = null;
    ParallelBatches pool = null;
    try {
      if (builder.precision != Precision.FP32) {
        model.setInferencePrecision(builder.precision);
      }
      int maxLength = builder.maxLength > 0 ? Math.min(builder.maxLength, model.config().maxLength()) : model.config().maxLength();
      LongDocumentStrategy windows = builder.longDocuments;
      EmbeddingCache cache = builder.cacheSize > 0 ? new EmbeddingCache(builder.cacheSize) : null;
      QueryFeedback feedback =
          builder.feedback != null
              ? builder.feedback
              : builder.modelDir == null && builder.pretrained == null
                  ? BundledModel.QUERY_FEEDBACK
                  : QueryFeedback.none();
      if (feedback.enabled() && model.config().scoring() == ScoringMode.CROSS_ENCODER) {
        throw new IllegalArgumentException(
            "query feedback needs a bi-encoder; model '" + model.config().name() + "' is a cross-encoder");
      }
      this.feedback = feedback;
      boolean explains = builder.explain.stream().anyMatch(mode -> mode != Explain.NONE);
      Optional<String> shippedExplainers =
          explains ? BundledModel.explainersFor(builder.modelDir, builder.pretrained) : Optional.empty();
      EvidenceHead evidenceHead =
          builder.explain.contains(Explain.EVIDENCE)
              ? loadEvidenceHead(model, builder.modelDir, shippedExplainers, builder.evidenceScoring)
              : null;
      pointwise = builder.explain.contains(Explain.POINTWISE);
      comparative = builder.explain.contains(Explain.COMPARATIVE);
      loadedReasons = pointwise || comparative ? loadReasons(model, builder.modelDir, shippedExplainers) : null;
      if (loadedReasons != null) {
        loadedReasons.prepare(builder.decoding); // checked and tables built at build, not at the first explained call
      }
      reasons = loadedReasons;
      pool = new ParallelBatches(workers, "r2r-batch-helper");
      this.workers = pool;
      int batchSize = builder.batchSize > 0
          ? builder.batchSize
          : builder.precision == Precision.FP32 ? DEFAULT_BATCH_SIZE : DEFAULT_BATCH_SIZE_LOW_PRECISION;
      LengthSortedBatches batches = new LengthSortedBatches(batchSize, this.workers);
      scorer = newScorer(model, maxLength, windows, batches, cache, feedback);
      // Evidence scores the sentences of one document against the query: feedback from "top sentences"
      // would only pull the query toward whatever it already matched.
      if (!builder.explain.contains(Explain.EVIDENCE)) {
        evidence = null;
      } else if (evidenceHead != null) {
        evidence = EvidenceSelector.trained(
            new EvidenceFeatures(model, SentenceSplitter.english(), maxLength), evidenceHead, batches);
      } else {
        evidence = EvidenceSelector.zeroShot(
            SentenceSplitter.english(), newScorer(model, maxLength, windows, batches, null, QueryFeedback.none()));
      }
      decoding = builder.decoding;
      explainTopK = builder.explainTopK;
      maxDocumentChars = builder.maxDocumentChars;
    } catch (IOException | RuntimeException e) {
      if (pool != null) {
        pool.close();
      }
      if (loadedReasons != null) {
        loadedReasons.close();
      }
      model.close();
      throw e;
    }
  }

  /**
   * The reason decoder for {@code model}: its model directory's ({@link ReasonModel#find}), or else the
   * one shipped for the pretrained encoder {@code shipped} names (a pretrained encoder's own; for the
   * bundled student, the encoder {@link BundledModel#explainers} names). Fails when there is none.
   */
  private static ReasonModel loadReasons(RankingModel model, Path modelDir, Optional<String> shipped)
      throws IOException {
    Optional<ReasonModel> found =
        modelDir != null
            ? ReasonModel.find(model, modelDir)
            : shipped.isPresent() ? ReasonModel.shipped(shipped.get(), model) : Optional.empty();
    return found.orElseThrow(() -> new IllegalArgumentException(noDecoder(model,
        modelDir != null
            ? "put reasons.json and reasons.safetensors (written by io.github.r2r.examples.TrainReasons, in"
                + " r2r-examples) in its model directory " + modelDir
            : "train one with io.github.r2r.examples.TrainReasons (in r2r-examples) and use a model directory")));
  }

  /**
   * The evidence head {@code scoring} asks for, or null for zero-shot evidence: a model directory's
   * own {@value EvidenceHead#WEIGHTS_FILE}, or else the one shipped for the pretrained encoder {@code
   * shipped} names (as for the decoder). Like a decoder, a head fits only the encoder it was trained with, so a
   * model directory never borrows a shipped one. Fails when a required head is missing or does not
   * fit.
   */
  private static EvidenceHead loadEvidenceHead(
      RankingModel model, Path modelDir, Optional<String> shipped, EvidenceScoring scoring) throws IOException {
    if (scoring == EvidenceScoring.ZERO_SHOT) {
      return null;
    }
    Optional<EvidenceHead> head =
        modelDir != null
            ? EvidenceHead.presentIn(modelDir) ? Optional.of(EvidenceHead.load(modelDir)) : Optional.empty()
            : shipped.isPresent() ? EvidenceHead.bundled(shipped.get()) : Optional.empty();
    if (head.isEmpty()) {
      checkArgument(scoring != EvidenceScoring.TRAINED_HEAD,
          "model '%s' has no trained evidence head: train one with io.github.r2r.examples.TrainEvidence (in"
              + " r2r-examples) and put %s in its model directory, or use EvidenceScoring.AUTO or ZERO_SHOT",
          model.config().name(), EvidenceHead.WEIGHTS_FILE);
      return null;
    }
    checkArgument(model.config().scoring() == ScoringMode.BI_ENCODER,
        "model '%s' is a %s, but an evidence head reads a bi-encoder's query embedding; remove %s or use"
            + " EvidenceScoring.ZERO_SHOT",
        model.config().name(), model.config().scoring(), EvidenceHead.WEIGHTS_FILE);
    checkArgument(head.get().hiddenSize() == model.config().encoder().hiddenSize(),
        "the evidence head of model '%s' reads %s-dimensional states, but the encoder has %s",
        model.config().name(), head.get().hiddenSize(), model.config().encoder().hiddenSize());
    return head.get();
  }

  private static String noDecoder(RankingModel model, String remedy) {
    return "model '" + model.config().name() + "' has no reason decoder, so it cannot explain with POINTWISE or"
        + " COMPARATIVE reasons: " + remedy + ", or explain with EVIDENCE only";
  }

  private static DocumentScorer newScorer(
      RankingModel model,
      int maxLength,
      LongDocumentStrategy windows,
      LengthSortedBatches batches,
      EmbeddingCache cache,
      QueryFeedback feedback) {
    return model.config().scoring() == ScoringMode.CROSS_ENCODER
        ? new CrossEncoderScorer(model, maxLength, windows, batches)
        : new BiEncoderScorer(model, maxLength, windows, batches, cache, feedback);
  }

  /** {@return the query feedback this reranker applies ({@link QueryFeedback#none()} when off)} */
  public QueryFeedback queryFeedback() {
    return feedback;
  }

  /**
   * {@return a builder with every setting at its default: the bundled model, CPU, float32, no
   * explanations}
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reranks plain texts; their ids are their input positions ({@code "0"}, {@code "1"}, ...).
   *
   * @param query the query; non-blank
   * @param documents the texts to rank, each non-null and non-blank, of at most {@link
   *     Builder#maxDocumentChars(int)} characters; an empty list gives an empty ranking
   * @return the texts best first, the top ones with the explanations the builder asked for
   * @throws IllegalArgumentException if the query is null or blank, or {@code documents} or one of them
   *     is null, blank or too long (the message names its position)
   * @throws IllegalStateException if this reranker is closed, or the calling thread was interrupted
   *     (see the class comment)
   */
  public Ranking rerank(String query, List<String> documents) {
    checkArgument(documents != null, "documents is null");
    List<Document> docs = new ArrayList<>(documents.size());
    for (int i = 0; i < documents.size(); i++) {
      checkArgument(documents.get(i) != null, "document at position %s is null", i);
      docs.add(Document.of(Integer.toString(i), documents.get(i)));
    }
    return rerankDocuments(query, docs);
  }

  /**
   * Reranks documents with ids and metadata. The top documents also get the explanations the builder
   * asked for ({@link RankedDocument#evidence()}, {@link RankedDocument#reason()}, {@link
   * Ranking#comparisons()}); scores and order are the same either way.
   *
   * @param query the query; non-blank
   * @param documents the documents to rank: non-null, with unique ids and non-blank text of at most
   *     {@link Builder#maxDocumentChars(int)} characters; an empty list gives an empty ranking
   * @return the documents best first, metadata untouched
   * @throws IllegalArgumentException if the query is null or blank, {@code documents} is null, or a
   *     document is null, has blank or too long text, or repeats an earlier id (the message names it)
   * @throws IllegalStateException if this reranker is closed, or the calling thread was interrupted
   *     (see the class comment)
   */
  public Ranking rerankDocuments(String query, List<Document> documents) {
    return whileOpen(() -> rankAndExplain(query, documents));
  }

  /**
   * {@code call}'s result, computed while this reranker is open: calls share the read side of the
   * lifecycle lock and {@link #close()} takes the write side, so it waits for the calls in progress
   * instead of freeing the native memory under them.
   *
   * @throws IllegalStateException if this reranker is closed
   */
  private <T> T whileOpen(Supplier<T> call) {
    lifecycle.readLock().lock();
    try {
      checkState(!closed, "this Reranker is closed");
      return call.get();
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private Ranking rankAndExplain(String query, List<Document> documents) {
    validate(query, documents);
    if (documents.isEmpty()) {
      return Ranking.of(query, List.of(), new float[0]);
    }
    Ranking ranking = Ranking.of(query, List.copyOf(documents), scorer.score(query, documents));
    if (evidence == null && !pointwise && !comparative) {
      return ranking;
    }
    List<Document> top = ranking.topK(explainTopK).stream().map(RankedDocument::document).toList();
    if (evidence != null) {
      ranking = ranking.withEvidence(evidence.select(query, top));
    }
    if (pointwise || comparative) {
      ranking = withReasons(ranking, query, top);
    }
    return ranking;
  }

  /**
   * Generates the asked-for reasons of the top documents: pointwise for each, comparative for each
   * adjacent pair, all in one batch (generation costs about one model pass per token for the whole
   * batch, so five reasons together take little longer than one).
   */
  private Ranking withReasons(Ranking ranking, String query, List<Document> top) {
    // With evidence, a reason of a document longer than the decoder reads is decoded from the part
    // around its evidence sentence instead of from its start (ReasonPassage).
    List<ReasonPassage> passages = new ArrayList<>();
    for (int i = 0; i < top.size(); i++) {
      String text = top.get(i).text();
      passages.add(ranking.atRank(i + 1).evidence()
          .map(e -> new ReasonPassage(text, e.start(), e.end()))
          .orElse(ReasonPassage.whole(text)));
    }
    List<ReasonInput> inputs = new ArrayList<>();
    if (pointwise) {
      for (int i = 0; i < top.size(); i++) {
        inputs.add(reasons.pointwiseInput(query, passages.get(i), i + 1));
      }
    }
    int firstComparison = inputs.size();
    if (comparative) {
      for (int i = 0; i + 1 < top.size(); i++) {
        inputs.add(reasons.comparativeInput(query, passages.get(i), passages.get(i + 1), i + 1));
      }
    }
    if (inputs.isEmpty()) {
      return ranking;
    }
    List<String> texts = generate(inputs);
    if (pointwise) {
      ranking = ranking.withReasons(texts.subList(0, firstComparison));
    }
    List<Comparison> comparisons = new ArrayList<>();
    for (int i = firstComparison; i < texts.size(); i++) {
      int above = i - firstComparison;
      comparisons.add(new Comparison(top.get(above).id(), top.get(above + 1).id(), above + 1, texts.get(i)));
    }
    return comparative ? ranking.withComparisons(comparisons) : ranking;
  }

  /**
   * Decodes the reasons in one batch, or with helper threads in one batch per worker side by side:
   * decoding costs about one pass of the decoder per token whatever the batch, so on a CPU whose ops
   * run on one engine thread each, two half batches on two cores take about half the time. A reason does
   * not depend on the batch it is decoded in.
   */
  private List<String> generate(List<ReasonInput> inputs) {
    int groups = Math.min(workers.workers(), inputs.size());
    if (groups <= 1) {
      return reasons.generate(inputs, decoding);
    }
    List<List<String>> texts = new ArrayList<>(java.util.Collections.nCopies(groups, null));
    workers.run(groups, g -> {
      int from = inputs.size() * g / groups;
      int to = inputs.size() * (g + 1) / groups;
      texts.set(g, reasons.generate(inputs.subList(from, to), decoding));
    });
    return texts.stream().flatMap(List::stream).toList();
  }

  /**
   * Reranks several queries; the result list is in request order. {@link #close()} waits for the
   * whole list.
   *
   * @param requests the queries with their documents, each under the rules of {@link
   *     #rerankDocuments(String, List)}
   * @return one ranking per request, in request order
   * @throws IllegalArgumentException if {@code requests} is null, or a request is null or breaks the
   *     input rules (the message then starts with the request's position)
   * @throws IllegalStateException if this reranker is closed, or the calling thread was interrupted
   *     (see the class comment)
   */
  public List<Ranking> rerankAll(List<RerankRequest> requests) {
    // The whole list while open, not each request: an empty list must fail on a closed reranker too.
    return whileOpen(() -> {
      checkArgument(requests != null, "requests is null");
      List<Ranking> out = new ArrayList<>(requests.size());
      for (int i = 0; i < requests.size(); i++) {
        RerankRequest request = requests.get(i);
        checkArgument(request != null, "request at position %s is null", i);
        try {
          out.add(rankAndExplain(request.query(), request.documents()));
        } catch (IllegalArgumentException e) {
          // Say which request is wrong: "duplicate document id" alone does not, among hundreds.
          throw new IllegalArgumentException("request at position " + i + ": " + e.getMessage(), e);
        }
      }
      return out;
    });
  }

  /**
   * The loaded model (config, tokenizer, weights), for inspection and for tools that need the model
   * itself (benchmarks, evaluations). It belongs to this reranker and is shared by every call: do not
   * close it or change its inference precision (choose that with {@link Builder#precision}).
   *
   * @return the model this reranker scores with
   * @throws IllegalStateException if this reranker is closed (the model is closed with it)
   */
  public RankingModel model() {
    return whileOpen(() -> model);
  }

  private void validate(String query, List<Document> documents) {
    checkArgument(query != null, "query is null");
    checkArgument(!SentenceSplitter.isBlank(query), "query is empty or blank");
    checkArgument(documents != null, "documents is null");
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < documents.size(); i++) {
      Document d = documents.get(i);
      checkArgument(d != null, "document at position %s is null", i);
      // Blank as the sentence splitter counts it (no-break spaces included): such a text has no sentence
      // to give as evidence.
      checkArgument(
          !SentenceSplitter.isBlank(d.text()), "document '%s' (position %s) has empty or blank text", d.id(), i);
      checkArgument(
          d.text().length() <= maxDocumentChars,
          "document '%s' (position %s) has %s characters, more than maxDocumentChars=%s "
              + "(raise the limit with Reranker.builder().maxDocumentChars(...) or split the document)",
          d.id(),
          i,
          d.text().length(),
          maxDocumentChars);
      Integer previous = seen.put(d.id(), i);
      checkArgument(
          previous == null, "duplicate document id '%s' at positions %s and %s", d.id(), previous, i);
    }
  }

  /**
   * Releases the model's native memory and the worker threads, after the calls in progress have
   * finished; calling it again does nothing.
   */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      releaseResources();
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  /** Closes each resource, even when an earlier one fails to close. */
  private void releaseResources() {
    try {
      workers.close();
    } finally {
      try {
        if (reasons != null) {
          reasons.close();
        }
      } finally {
        model.close();
      }
    }
  }


  /**
   * Configures a {@link Reranker}; every setting has a sane default. A setter given null throws
   * {@link NullPointerException}, one given a value out of range {@link IllegalArgumentException}; both
   * name the setting.
   */
  public static final class Builder {
    private Path modelDir;
    private PretrainedEncoder pretrained;
    private Device device = Device.cpu();
    private boolean autoDevice;
    /** 0: the precision's default. */
    private int batchSize;
    private int maxLength;
    private int threads;
    private int workers;
    private long cacheSize;
    private int maxDocumentChars = 100_000;
    private LongDocumentStrategy longDocuments = LongDocumentStrategy.defaults();
    private Set<Explain> explain = EnumSet.noneOf(Explain.class);
    private int explainTopK = 3;
    private DecodingOptions decoding = DecodingOptions.defaults();
    private QueryFeedback feedback;
    private EvidenceScoring evidenceScoring = EvidenceScoring.AUTO;
    private Precision precision = Precision.FP32;

    private Builder() {}

    /**
     * A model directory ({@code config.json}, {@code tokenizer.json}, {@code model.safetensors}).
     *
     * @param dir the directory; read by {@link #build()}, not here
     * @return this builder
     * @throws NullPointerException if {@code dir} is null
     */
    public Builder model(Path dir) {
      this.modelDir = checkNotNull(dir, "model directory is null");
      this.pretrained = null;
      return this;
    }

    /**
     * A pretrained encoder used zero-shot; its carrier jar must be on the classpath.
     *
     * @param encoder the encoder; loaded by {@link #build()}, not here
     * @return this builder
     * @throws NullPointerException if {@code encoder} is null
     */
    public Builder model(PretrainedEncoder encoder) {
      this.pretrained = checkNotNull(encoder, "encoder is null");
      this.modelDir = null;
      return this;
    }

    /**
     * The model shipped with r2r (the default).
     *
     * @return this builder
     */
    public Builder bundledModel() {
      this.modelDir = null;
      this.pretrained = null;
      return this;
    }

    /**
     * Run on this device ({@code Device.cpu()}, the default, or {@code Device.gpu()}); overrides
     * {@link #autoDevice()}.
     *
     * @param device the device; whether it exists is checked by {@link #build()}
     * @return this builder
     * @throws NullPointerException if {@code device} is null
     */
    public Builder device(Device device) {
      this.device = checkNotNull(device, "device is null");
      this.autoDevice = false;
      return this;
    }

    /**
     * Run on the first GPU if the engine has one, else on the CPU; overrides {@link #device(Device)}.
     *
     * @return this builder
     */
    public Builder autoDevice() {
      this.autoDevice = true;
      return this;
    }

    /**
     * Sequences per forward pass; default {@link #DEFAULT_BATCH_SIZE} (8) in float32 and {@link
     * #DEFAULT_BATCH_SIZE_LOW_PRECISION} (4) with {@link Precision#BF16} and {@link Precision#INT8}, each
     * the fastest measured on DL19.
     *
     * @param batchSize sequences per forward pass, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code batchSize} is less than 1
     */
    public Builder batchSize(int batchSize) {
      checkArgument(batchSize >= 1, "batchSize must be positive, got %s", batchSize);
      this.batchSize = batchSize;
      return this;
    }

    /**
     * Longest model input in tokens, special tokens included (default: the model's, 512). A larger
     * value is cut to the model's own limit (its position table has no more rows).
     *
     * @param maxLength tokens per model input, at least 16
     * @return this builder
     * @throws IllegalArgumentException if {@code maxLength} is less than 16
     */
    public Builder maxLength(int maxLength) {
      checkArgument(maxLength >= 16, "maxLength must be at least 16, got %s", maxLength);
      this.maxLength = maxLength;
      return this;
    }

    /**
     * How documents longer than one model input are scored (default: {@link
     * LongDocumentStrategy#defaults()}, MaxP over up to 64 windows of 400 tokens).
     *
     * @param strategy the windowing of long documents
     * @return this builder
     * @throws NullPointerException if {@code strategy} is null
     */
    public Builder longDocuments(LongDocumentStrategy strategy) {
      this.longDocuments = checkNotNull(strategy, "strategy is null");
      return this;
    }

    /**
     * Intra-op threads of the engine: how many cores one op is spread over (default: the cores divided
     * by {@link #workers(int)}, so 1 by default); effective only before the engine first starts in
     * this JVM.
     *
     * @param threads intra-op threads, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code threads} is less than 1
     */
    public Builder threads(int threads) {
      checkArgument(threads >= 1, "threads must be positive, got %s", threads);
      this.threads = threads;
      return this;
    }

    /**
     * How many batches of one call run side by side, each in its own Java thread. Default: {@code
     * Runtime.availableProcessors()} divided by {@link #threads(int)} if that was set, else all of
     * them (with one engine thread each). On a CPU, whole batches on separate cores beat each op
     * spread over all cores, which waits on the slowest core at every small op (docs/performance.md).
     * Scores do not depend on it.
     *
     * @param workers batches run side by side, at least 1 (the calling thread and {@code workers - 1}
     *     helper threads)
     * @return this builder
     * @throws IllegalArgumentException if {@code workers} is less than 1
     */
    public Builder workers(int workers) {
      checkArgument(workers >= 1, "workers must be positive, got %s", workers);
      this.workers = workers;
      return this;
    }

    /**
     * Keep up to this many documents' embeddings in memory (bi-encoder models only; default off).
     *
     * @param maxDocuments documents whose embeddings are kept; 0 turns the cache off
     * @return this builder
     * @throws IllegalArgumentException if {@code maxDocuments} is negative
     */
    public Builder embeddingCache(long maxDocuments) {
      checkArgument(maxDocuments >= 0, "maxDocuments must be non-negative, got %s", maxDocuments);
      this.cacheSize = maxDocuments;
      return this;
    }

    /**
     * Documents longer than this are rejected instead of silently costing minutes (default 100,000).
     *
     * @param maxChars the longest document text accepted, in {@code char}s, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code maxChars} is less than 1
     */
    public Builder maxDocumentChars(int maxChars) {
      checkArgument(maxChars >= 1, "maxDocumentChars must be positive, got %s", maxChars);
      this.maxDocumentChars = maxChars;
      return this;
    }

    /**
     * Explain the {@code topK} best documents of every ranking (default: {@link Explain#NONE}). {@link
     * Explain#EVIDENCE} picks in each one the sentence that best answers the query: by the model's
     * trained evidence head, or zero-shot, each sentence scored like a document (see {@link
     * #evidenceScoring}); statements of at least 8 words are preferred over questions and titles. It
     * costs one encoding of those documents and of their sentences.
     *
     * @param mode what to explain; {@link Explain#NONE} turns explanations off
     * @param topK how many of the best documents to explain, at least 1
     * @return this builder
     * @throws NullPointerException if {@code mode} is null
     * @throws IllegalArgumentException if {@code topK} is less than 1
     */
    public Builder explain(Explain mode, int topK) {
      checkNotNull(mode, "explain mode is null");
      return explain(EnumSet.of(mode), topK);
    }

    /**
     * Explain the {@code topK} best documents in several ways at once, e.g. {@code
     * EnumSet.of(EVIDENCE, POINTWISE, COMPARATIVE)}. {@link Explain#POINTWISE} and {@link
     * Explain#COMPARATIVE} generate text with the model's reason decoder (see {@link
     * #reasonDecoding}); the top 3 cost about a second on two CPU cores (docs/explanations.md).
     * {@link Explain#NONE} cannot be combined with other modes.
     *
     * @param modes what to explain, copied; empty or {@code {NONE}} turns explanations off
     * @param topK how many of the best documents to explain, at least 1
     * @return this builder
     * @throws NullPointerException if {@code modes} is null
     * @throws IllegalArgumentException if {@code modes} contains null, or {@link Explain#NONE} with
     *     another mode, or {@code topK} is less than 1
     */
    public Builder explain(Set<Explain> modes, int topK) {
      checkNotNull(modes, "explain modes are null");
      // Not modes.contains(null): immutable sets (Set.of) throw NullPointerException for it.
      checkArgument(modes.stream().noneMatch(Objects::isNull), "explain modes contain null");
      checkArgument(
          !(modes.contains(Explain.NONE) && modes.size() > 1), "Explain.NONE cannot be combined with %s", modes);
      checkArgument(topK >= 1, "explain topK must be positive, got %s", topK);
      EnumSet<Explain> copy = modes.isEmpty() ? EnumSet.noneOf(Explain.class) : EnumSet.copyOf(modes);
      copy.remove(Explain.NONE);
      this.explain = copy;
      this.explainTopK = topK;
      return this;
    }

    /**
     * How {@link Explain#EVIDENCE} scores sentences (default {@link EvidenceScoring#AUTO}: the model's
     * trained evidence head when it has one; the bundled model has one).
     *
     * @param scoring how sentences are scored; used only with {@link Explain#EVIDENCE}
     * @return this builder
     * @throws NullPointerException if {@code scoring} is null
     */
    public Builder evidenceScoring(EvidenceScoring scoring) {
      this.evidenceScoring = checkNotNull(scoring, "evidence scoring is null");
      return this;
    }

    /**
     * How reasons are decoded (default {@link DecodingOptions#defaults()}: beam search).
     *
     * @param options the decoding options; {@link #build()} fails if the decoder cannot apply them
     * @return this builder
     * @throws NullPointerException if {@code options} is null
     */
    public Builder reasonDecoding(DecodingOptions options) {
      this.decoding = checkNotNull(options, "decoding options is null");
      return this;
    }

    /**
     * {@link #explain(Explain, int)} for the top 3 documents.
     *
     * @param mode what to explain; {@link Explain#NONE} turns explanations off
     * @return this builder
     * @throws NullPointerException if {@code mode} is null
     */
    public Builder explain(Explain mode) {
      return explain(mode, 3);
    }

    /**
     * Pseudo-relevance feedback for bi-encoders (see {@link QueryFeedback}). Default: the bundled
     * model's tuned setting ({@link BundledModel#QUERY_FEEDBACK}) when no model is named, none for a
     * model you name. Enabling it for a cross-encoder fails at {@link #build()}.
     *
     * @param feedback the feedback, or {@link QueryFeedback#none()} to turn it off
     * @return this builder
     * @throws NullPointerException if {@code feedback} is null
     */
    public Builder queryFeedback(QueryFeedback feedback) {
      this.feedback = checkNotNull(feedback, "feedback is null");
      return this;
    }

    /**
     * Number format of the encoder's matrix products (default {@link Precision#FP32}). {@link
     * Precision#BF16} is about twice as fast on CPUs with AVX512-BF16 or AMX and changes scores by
     * bfloat16 rounding; {@link Precision#INT8} is faster still on CPUs with AVX512-VNNI and changes
     * scores by int8 rounding (docs/performance.md). Either applies to scoring and to the encoder
     * states explanations read (evidence sentences, reason inputs); with {@link Precision#BF16} the
     * reason decoder's output product (its 30,522-word table, read at every token) runs in bfloat16
     * too, the rest of the decoder in float32.
     *
     * @param precision the number format
     * @return this builder
     * @throws NullPointerException if {@code precision} is null
     */
    public Builder precision(Precision precision) {
      this.precision = checkNotNull(precision, "precision is null");
      return this;
    }

    /**
     * Loads the model and whatever explanations need.
     *
     * @return a new reranker; close it to free the model's native memory
     * @throws UncheckedIOException when a model file cannot be read (missing, truncated, malformed:
     *     the message names the file)
     * @throws IllegalArgumentException when the options do not fit the model: explanations asked of a
     *     model without a reason decoder or evidence head, query feedback on a cross-encoder, decoding
     *     options the decoder cannot do
     * @throws IllegalStateException when the device asked for is not there (e.g. {@code Device.gpu()}
     *     on a machine without a GPU), or when the PyTorch engine cannot start (no native library for
     *     this platform on the classpath: README, Platforms)
     */
    public Reranker build() {
      try {
        return new Reranker(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot load model: " + e.getMessage(), e);
      }
    }
  }
}
