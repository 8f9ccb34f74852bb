package io.github.r2r.training.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.r2r.evidence.AnswerSentences;
import io.github.r2r.evidence.EvidenceFeatures;
import io.github.r2r.evidence.EvidenceHead;
import io.github.r2r.model.HfBlock;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScalarOps;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.text.InputSequence;
import io.github.r2r.text.PaddedBatch;
import io.github.r2r.text.Sentence;
import io.github.r2r.text.SentenceSplitter;
import io.github.r2r.text.SequenceBuilder;
import io.github.r2r.text.TextTokenizer;
import io.github.r2r.text.TokenizedText;
import io.github.r2r.training.train.EvidenceExamples.Target;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Evidence selection as an {@link AuxiliaryTask}: the {@link EvidenceHead}'s listwise loss (as in
 * {@link EvidenceHeadTrainer}) with its features computed by the trained encoder with gradients, so
 * that choosing the teacher's evidence sentence also trains the encoder. The head starts from a given
 * one (for e5-small-v2 the shipped head) and keeps its feature standardisation; its projections and
 * feature weights train. The best model directory gets {@code evidence.safetensors}.
 *
 * <p>Each step takes {@code batchSize} passages in an order shuffled per epoch by the seed. A passage
 * is encoded in one window (text past it is not read: MS MARCO passages fit), its candidate sentences
 * ({@link AnswerSentences}) each on their own, and the query once.
 */
public final class EvidenceTask implements AuxiliaryTask {
  private final RankingModel model;
  private final SequenceBuilder sequences;
  private final TokenizedText passagePrefix;
  private final List<Example> examples = new ArrayList<>();
  private final HeadBlock head;
  private final float[][] standardisation;
  private final int batchSize;
  private final long seed;
  private final TaskWeight weight;
  private final int skipped;
  private final float learningRateScale;

  /** A target passage with its candidates and which of them match the teacher's sentence. */
  private record Example(String query, TokenizedText passage, List<Sentence> candidates, boolean[] matches) {}

  /**
   * An evidence task whose head trains at the run's learning rate.
   *
   * @param model the bi-encoder being trained; its encoder computes the head's features
   * @param targets the passages with the teacher's evidence sentences; those no candidate sentence
   *     matches are left out (see {@link #skipped()})
   * @param start the head to start from (its standardisation is kept)
   * @param maxLength the longest encoder input
   * @param batchSize passages per step, at least 1
   * @param seed seed of the per-epoch passage order
   * @param weight the task's weight in every step's loss
   * @throws IllegalArgumentException if {@code model} is not a bi-encoder, {@code start} reads another
   *     hidden size, {@code batchSize} is less than 1, or no target has a matching candidate sentence
   * @throws NullPointerException if {@code model} or {@code weight} is null
   */
  public EvidenceTask(RankingModel model, List<Target> targets, EvidenceHead start, int maxLength, int batchSize,
      long seed, TaskWeight weight) {
    this(model, targets, start, maxLength, batchSize, seed, weight, 1f);
  }

  /**
   * An evidence task whose head trains at a multiple of the run's learning rate.
   *
   * @param model the bi-encoder being trained; its encoder computes the head's features
   * @param targets the passages with the teacher's evidence sentences; those no candidate sentence
   *     matches are left out (see {@link #skipped()})
   * @param start the head to start from (its standardisation is kept)
   * @param maxLength the longest encoder input
   * @param batchSize passages per step, at least 1
   * @param seed seed of the per-epoch passage order
   * @param weight the task's weight in every step's loss
   * @param learningRateScale the head's learning rate relative to the run's, positive and finite
   * @throws IllegalArgumentException as the other constructor, or if {@code learningRateScale} is not
   *     positive and finite
   * @throws NullPointerException if {@code model} or {@code weight} is null
   */
  public EvidenceTask(RankingModel model, List<Target> targets, EvidenceHead start, int maxLength, int batchSize,
      long seed, TaskWeight weight, float learningRateScale) {
    checkArgument(learningRateScale > 0 && Float.isFinite(learningRateScale),
        "learningRateScale must be positive, got %s", learningRateScale);
    this.learningRateScale = learningRateScale;
    this.model = checkNotNull(model, "model");
    checkArgument(model.config().scoring() == ScoringMode.BI_ENCODER,
        "the evidence task needs a bi-encoder (a query embedding); model '%s' is a %s",
        model.config().name(), model.config().scoring());
    checkArgument(start.hiddenSize() == model.config().encoder().hiddenSize(),
        "the starting head reads %s-dimensional states, the encoder has %s",
        start.hiddenSize(), model.config().encoder().hiddenSize());
    checkArgument(batchSize >= 1, "batchSize must be positive, got %s", batchSize);
    TextTokenizer tokenizer = model.tokenizer();
    this.sequences = new SequenceBuilder(tokenizer.clsId(), tokenizer.sepId(), maxLength);
    this.passagePrefix = tokenizer.tokenize(model.config().passagePrefix());
    SentenceSplitter splitter = SentenceSplitter.english();
    int notMatched = 0;
    for (Target t : targets) {
      List<Sentence> candidates = AnswerSentences.candidates(splitter.split(t.passage()));
      boolean[] matches = EvidenceExamples.matches(candidates, t, splitter);
      if (EvidenceExamples.anyTrue(matches)) {
        examples.add(new Example(t.query(), tokenizer.tokenize(t.passage()), candidates, matches));
      } else {
        notMatched++;
      }
    }
    checkArgument(!examples.isEmpty(), "no evidence target has a matching candidate sentence");
    this.skipped = notMatched;
    this.head = new HeadBlock(start, model.manager());
    this.standardisation = start.featureParameters();
    this.batchSize = batchSize;
    this.seed = seed;
    this.weight = checkNotNull(weight, "weight");
  }

  /** {@return the number of targets left out because no candidate sentence matches the teacher's} */
  public int skipped() {
    return skipped;
  }

  /** {@return the number of targets the task trains on} */
  public int examples() {
    return examples.size();
  }

  @Override
  public String name() {
    return "evidence";
  }

  @Override
  public TaskWeight weight() {
    return weight;
  }

  @Override
  public float learningRateScale() {
    return learningRateScale;
  }

  @Override
  public Map<String, HfBlock.WeightSlot> parameters() {
    return head.weightSlots();
  }

  @Override
  public NDArray loss(ParameterStore ps, NDManager scope, int step) {
    List<Example> batch = batch(step);
    TextTokenizer tokenizer = model.tokenizer();
    List<InputSequence> queries = new ArrayList<>();
    List<InputSequence> passages = new ArrayList<>();
    List<InputSequence> sentences = new ArrayList<>();
    int maxCandidates = 0;
    for (int p = 0; p < batch.size(); p++) {
      Example e = batch.get(p);
      queries.add(sequences.single(tokenizer.tokenize(model.config().queryPrefix() + e.query())));
      passages.add(sequences.singleWindows(passagePrefix, e.passage(), Integer.MAX_VALUE, Integer.MAX_VALUE, 1).get(0));
      for (Sentence s : e.candidates()) {
        sentences.add(sequences.single(tokenizer.tokenize(model.config().passagePrefix() + s.text())));
      }
      maxCandidates = Math.max(maxCandidates, e.candidates().size());
    }
    NDArray q = DistillationTrainer.normalise(model.pooledEmbedding(ps, new PaddedBatch(queries).toNDList(scope), true));
    NDArray alone = DistillationTrainer.normalise(model.pooledEmbedding(ps, new PaddedBatch(sentences).toNDList(scope), true));
    PaddedBatch passageBatch = new PaddedBatch(passages);
    NDArray states = model.hiddenStates(ps, passageBatch.toNDList(scope), true); // [P, L, D]
    int width = passageBatch.width();
    int dim = model.config().encoder().hiddenSize();
    int n = sentences.size();
    // Mean over each sentence's tokens as one product: [n, P * L] weights times [P * L, D] states.
    float[] pool = new float[n * batch.size() * width];
    long[] ownerIndex = new long[n];
    int row = 0;
    int offset = 1 + passagePrefix.length();
    for (int p = 0; p < batch.size(); p++) {
      Example e = batch.get(p);
      int inWindow = passages.get(p).length() - 1 - offset;
      for (Sentence s : e.candidates()) {
        int count = 0;
        for (int t = 0; t < inWindow; t++) {
          count += EvidenceFeatures.overlaps(e.passage(), t, s) ? 1 : 0;
        }
        for (int t = 0; t < inWindow && count > 0; t++) {
          if (EvidenceFeatures.overlaps(e.passage(), t, s)) {
            pool[row * batch.size() * width + p * width + offset + t] = 1f / count;
          }
        }
        ownerIndex[row++] = p;
      }
    }
    NDArray spans = scope.create(pool, new Shape(n, (long) batch.size() * width))
        .matMul(states.reshape(new Shape((long) batch.size() * width, dim)));
    NDArray spanUnit = DistillationTrainer.normalise(spans);
    NDArray query = q.get(scope.create(ownerIndex)); // [n, D]
    NDArray sentenceCosine = query.mul(alone).sum(new int[] {1});
    NDArray spanCosine = query.mul(spanUnit).sum(new int[] {1});
    NDArray weights = head.featureWeights(ps, q); // trained; the standardisation stays fixed
    NDArray x0 = ScalarOps.dividedBy(sentenceCosine.sub(standardisation[1][0]), standardisation[2][0]);
    NDArray x1 = ScalarOps.dividedBy(spanCosine.sub(standardisation[1][1]), standardisation[2][1]);
    NDArray bilinear = query.matMul(head.queryProjection(ps, q)).mul(spanUnit.matMul(head.sentenceProjection(ps, q)))
        .sum(new int[] {1});
    NDArray scores = x0.mul(weights.get(0)).add(x1.mul(weights.get(1))).add(bilinear); // [n]
    // Per passage: softmax over its candidates (padding masked), cross-entropy to the matches.
    long[] index = new long[batch.size() * maxCandidates];
    float[] mask = new float[batch.size() * maxCandidates];
    float[] target = new float[batch.size() * maxCandidates];
    int first = 0;
    for (int p = 0; p < batch.size(); p++) {
      Example e = batch.get(p);
      int matched = 0;
      for (boolean m : e.matches()) {
        matched += m ? 1 : 0;
      }
      for (int c = 0; c < maxCandidates; c++) {
        int k = p * maxCandidates + c;
        if (c < e.candidates().size()) {
          index[k] = first + c;
          mask[k] = 1;
          target[k] = e.matches()[c] ? 1f / matched : 0f;
        } else {
          index[k] = first;
        }
      }
      first += e.candidates().size();
    }
    Shape grid = new Shape(batch.size(), maxCandidates);
    NDArray padded = scores.get(scope.create(index)).reshape(grid)
        .add(scope.create(mask, grid).sub(1f).mul(1e4f));
    NDArray logProbs = padded.logSoftmax(1);
    return ScalarOps.dividedBy(logProbs.mul(scope.create(target, grid)).sum().neg(), batch.size());
  }

  /** The passages of {@code step}: every epoch visits all of them in an order shuffled by seed and epoch. */
  private List<Example> batch(int step) {
    int perEpoch = Math.max(1, examples.size() / batchSize);
    int epoch = step / perEpoch;
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < examples.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(seed * 31 + epoch));
    int from = (step % perEpoch) * batchSize;
    List<Example> out = new ArrayList<>();
    for (int i = from; i < Math.min(examples.size(), from + batchSize); i++) {
      out.add(examples.get(order.get(i)));
    }
    return out;
  }

  /** {@return the head as trained so far (a copy of its current weights)} */
  public EvidenceHead currentHead() {
    float[] w = head.featureWeightsArray().toFloatArray();
    return EvidenceHead.of(toMatrix(head.queryProjectionArray()), toMatrix(head.sentenceProjectionArray()), w,
        standardisation[1], standardisation[2]);
  }

  @Override
  public void save(Path modelDir) throws IOException {
    currentHead().save(modelDir);
  }

  private static float[][] toMatrix(NDArray a) {
    int rows = (int) a.getShape().get(0);
    int cols = (int) a.getShape().get(1);
    float[] flat = a.toFloatArray();
    float[][] out = new float[rows][cols];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(flat, r * cols, out[r], 0, cols);
    }
    return out;
  }

  /** The head's trainable parameters as a DJL block, started from an {@link EvidenceHead}. */
  private static final class HeadBlock extends HfBlock {
    private final Parameter queryProjection;
    private final Parameter sentenceProjection;
    private final Parameter featureWeights;

    HeadBlock(EvidenceHead start, NDManager manager) {
      int hidden = start.hiddenSize();
      int rank = start.rank();
      queryProjection = param("query_projection", Parameter.Type.WEIGHT, hidden, rank);
      sentenceProjection = param("sentence_projection", Parameter.Type.WEIGHT, hidden, rank);
      featureWeights = param("feature_weights", Parameter.Type.WEIGHT, EvidenceHead.FEATURES);
      queryProjection.setArray(matrix(manager, start.queryProjection()));
      sentenceProjection.setArray(matrix(manager, start.sentenceProjection()));
      featureWeights.setArray(manager.create(start.featureParameters()[0]));
    }

    NDArray queryProjection(ParameterStore ps, NDArray like) {
      return value(ps, queryProjection, like, true);
    }

    NDArray sentenceProjection(ParameterStore ps, NDArray like) {
      return value(ps, sentenceProjection, like, true);
    }

    NDArray featureWeights(ParameterStore ps, NDArray like) {
      return value(ps, featureWeights, like, true);
    }

    NDArray queryProjectionArray() {
      return queryProjection.getArray();
    }

    NDArray sentenceProjectionArray() {
      return sentenceProjection.getArray();
    }

    NDArray featureWeightsArray() {
      return featureWeights.getArray();
    }

    private static NDArray matrix(NDManager manager, float[][] m) {
      float[] flat = new float[m.length * m[0].length];
      for (int r = 0; r < m.length; r++) {
        System.arraycopy(m[r], 0, flat, r * m[0].length, m[0].length);
      }
      return manager.create(flat, new Shape(m.length, m[0].length));
    }

    @Override
    protected NDList forwardInternal(
        ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
      throw new UnsupportedOperationException("the evidence head is applied by EvidenceTask.loss");
    }
  }
}
