package io.github.r2r.evidence;

import static com.google.common.base.Preconditions.checkArgument;

import io.github.r2r.model.io.MalformedWeightsException;
import io.github.r2r.model.io.SafeTensors;
import io.github.r2r.model.io.Tensor;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A trained scorer of evidence sentences: how well a candidate sentence answers the query, from the
 * {@link EvidenceFeatures} of the sentence.
 *
 * <pre>
 * score = Σ_f w_f · (x_f − μ_f) / σ_f  +  (Qᵀ q̂) · (Sᵀ ŝ)
 * </pre>
 *
 * where {@code q̂} is the normalised query embedding, {@code ŝ} the normalised mean token state of
 * the sentence's span in its document, {@code x = (sentence cosine, q̂ · ŝ)} the two cosines,
 * {@code Q} and {@code S} [hidden, rank] projections, and {@code w, μ, σ} the weights and the
 * training set's mean and spread of the two cosines. The first part is the zero-shot score,
 * re-weighted; the bilinear part learns which directions of a sentence read in context answer which
 * queries, which the zero-shot cosine of a sentence encoded out of context cannot see. Trained with
 * a listwise loss on a teacher's evidence sentences ({@code io.github.r2r.training.train.EvidenceHeadTrainer}).
 *
 * <p>Stored as one safetensors file ({@value #WEIGHTS_FILE}): a model directory's, or for a
 * pretrained encoder the one shipped in r2r-core under {@code io/github/r2r/evidence/<model name>/}.
 * Immutable and thread-safe.
 */
public final class EvidenceHead {
  /** The head's file in a model directory (safetensors, fp32). */
  public static final String WEIGHTS_FILE = "evidence.safetensors";
  /** The features in the order of {@code feature_weights}: the sentence cosine, the span cosine. */
  public static final int FEATURES = 2;

  static final String RESOURCE_DIR = "/io/github/r2r/evidence/";
  static final String QUERY_PROJECTION = "query_projection";
  static final String SENTENCE_PROJECTION = "sentence_projection";
  static final String FEATURE_WEIGHTS = "feature_weights";
  static final String FEATURE_MEAN = "feature_mean";
  static final String FEATURE_SCALE = "feature_scale";

  private final float[][] queryProjection;
  private final float[][] sentenceProjection;
  private final float[] featureWeights;
  private final float[] featureMean;
  private final float[] featureScale;

  private EvidenceHead(
      float[][] queryProjection,
      float[][] sentenceProjection,
      float[] featureWeights,
      float[] featureMean,
      float[] featureScale) {
    this.queryProjection = queryProjection;
    this.sentenceProjection = sentenceProjection;
    this.featureWeights = featureWeights;
    this.featureMean = featureMean;
    this.featureScale = featureScale;
  }

  /**
   * A head from its parameters (copied).
   *
   * @param queryProjection Q, [hidden][rank]
   * @param sentenceProjection S, [hidden][rank]
   * @param featureWeights w, one per feature
   * @param featureMean μ, one per feature
   * @param featureScale σ, one per feature, positive
   * @return the head
   * @throws IllegalArgumentException naming the parameter whose shape or values are wrong (a null or
   *     ragged array, a non-finite value, a scale that is not positive)
   */
  public static EvidenceHead of(
      float[][] queryProjection,
      float[][] sentenceProjection,
      float[] featureWeights,
      float[] featureMean,
      float[] featureScale) {
    checkArgument(queryProjection != null && queryProjection.length > 0, "query projection is empty");
    int hidden = queryProjection.length;
    int rank = queryProjection[0].length;
    checkArgument(rank > 0, "query projection has rank 0");
    checkMatrix(QUERY_PROJECTION, queryProjection, hidden, rank);
    checkMatrix(SENTENCE_PROJECTION, sentenceProjection, hidden, rank);
    checkVector(FEATURE_WEIGHTS, featureWeights);
    checkVector(FEATURE_MEAN, featureMean);
    checkVector(FEATURE_SCALE, featureScale);
    for (float s : featureScale) {
      checkArgument(s > 0, "%s must be positive, got %s", FEATURE_SCALE, s);
    }
    return new EvidenceHead(
        copy(queryProjection), copy(sentenceProjection), featureWeights.clone(), featureMean.clone(), featureScale.clone());
  }

  /** {@return Q, [hidden][rank] (a copy)} */
  public float[][] queryProjection() {
    return copy(queryProjection);
  }

  /** {@return S, [hidden][rank] (a copy)} */
  public float[][] sentenceProjection() {
    return copy(sentenceProjection);
  }

  /** {@return w, μ and σ of the two features, in this order (copies)} */
  public float[][] featureParameters() {
    return new float[][] {featureWeights.clone(), featureMean.clone(), featureScale.clone()};
  }

  /** {@return the width of the states the head reads: the encoder's hidden size} */
  public int hiddenSize() {
    return queryProjection.length;
  }

  /** {@return the rank of the bilinear part: the columns of Q and S} */
  public int rank() {
    return queryProjection[0].length;
  }

  /**
   * Scores one candidate sentence by the formula of the class comment.
   *
   * @param query the query embedding ({@link EvidenceFeatures.ForQuery#query}); normalised here
   * @param sentenceCosine the cosine of the query and the sentence encoded on its own
   * @param spanState the mean token state of the sentence's span; all zeros when it has no tokens
   * @return the score; higher means a better answer (comparable between sentences of one query)
   * @throws IllegalArgumentException if {@code query} or {@code spanState} does not have {@link
   *     #hiddenSize()} values
   */
  public float score(float[] query, float sentenceCosine, float[] spanState) {
    checkArgument(query.length == hiddenSize(), "query has %s values, the head expects %s", query.length, hiddenSize());
    checkArgument(
        spanState.length == hiddenSize(), "span state has %s values, the head expects %s", spanState.length, hiddenSize());
    float[] q = normalised(query);
    float[] s = normalised(spanState);
    double[] x = {sentenceCosine, dot(q, s)};
    double score = 0;
    for (int f = 0; f < FEATURES; f++) {
      score += featureWeights[f] * (x[f] - featureMean[f]) / featureScale[f];
    }
    for (int r = 0; r < rank(); r++) {
      double qr = 0;
      double sr = 0;
      for (int h = 0; h < hiddenSize(); h++) {
        qr += q[h] * queryProjection[h][r];
        sr += s[h] * sentenceProjection[h][r];
      }
      score += qr * sr;
    }
    return (float) score;
  }

  /**
   * The vector divided by its length; a zero vector stays zero.
   *
   * @param v the vector; not changed
   * @return a new vector of length 1, or zeros
   */
  public static float[] normalised(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    float[] out = v.clone();
    if (norm > 0) {
      float inverse = (float) (1 / Math.sqrt(norm));
      for (int i = 0; i < out.length; i++) {
        out[i] *= inverse;
      }
    }
    return out;
  }

  /**
   * Writes the head as {@value #WEIGHTS_FILE} (fp32) into {@code dir}, creating it if needed.
   *
   * @param dir the directory; a file of the same name is replaced
   * @throws IOException if the directory or the file cannot be written
   */
  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put(QUERY_PROJECTION, matrix(QUERY_PROJECTION, queryProjection));
    tensors.put(SENTENCE_PROJECTION, matrix(SENTENCE_PROJECTION, sentenceProjection));
    tensors.put(FEATURE_WEIGHTS, Tensor.ofFloats(FEATURE_WEIGHTS, new long[] {FEATURES}, featureWeights));
    tensors.put(FEATURE_MEAN, Tensor.ofFloats(FEATURE_MEAN, new long[] {FEATURES}, featureMean));
    tensors.put(FEATURE_SCALE, Tensor.ofFloats(FEATURE_SCALE, new long[] {FEATURES}, featureScale));
    SafeTensors.write(dir.resolve(WEIGHTS_FILE), tensors, Map.of("format", "r2r-evidence-head"));
  }

  /**
   * Whether {@code dir} holds a head ({@value #WEIGHTS_FILE}).
   *
   * @param dir a model directory
   * @return true when the file is there (whether it is valid is checked by {@link #load})
   */
  public static boolean presentIn(Path dir) {
    return Files.isRegularFile(dir.resolve(WEIGHTS_FILE));
  }

  /**
   * Reads {@value #WEIGHTS_FILE} from {@code dir}.
   *
   * @param dir a model directory
   * @return the head
   * @throws IllegalArgumentException if {@code dir} is null
   * @throws FileNotFoundException if {@code dir} has no {@value #WEIGHTS_FILE}
   * @throws MalformedWeightsException naming the file and the tensor that is missing or malformed
   * @throws IOException if the file cannot be read
   */
  public static EvidenceHead load(Path dir) throws IOException {
    checkArgument(dir != null, "evidence head directory is null");
    Path file = dir.resolve(WEIGHTS_FILE);
    if (!Files.isRegularFile(file)) {
      throw new FileNotFoundException("no evidence head in " + dir + ": " + WEIGHTS_FILE + " is missing");
    }
    return fromTensors(SafeTensors.read(file).tensors(), file.toString());
  }

  /**
   * The head shipped in r2r-core for the pretrained encoder named {@code modelName}, if there is one.
   *
   * @param modelName the pretrained encoder's name ({@code PretrainedEncoder.modelName()})
   * @return the head, or empty when none is shipped for that name
   * @throws IOException if the shipped file cannot be read or is malformed
   */
  public static Optional<EvidenceHead> bundled(String modelName) throws IOException {
    String resource = RESOURCE_DIR + modelName + "/" + WEIGHTS_FILE;
    if (EvidenceHead.class.getResource(resource) == null) {
      return Optional.empty();
    }
    Map<String, Tensor> tensors = SafeTensors.readResource(EvidenceHead.class.getClassLoader(), resource).tensors();
    return Optional.of(fromTensors(tensors, "classpath:" + resource));
  }

  static EvidenceHead fromTensors(Map<String, Tensor> tensors, String source) throws MalformedWeightsException {
    try {
      Tensor q = required(tensors, QUERY_PROJECTION, source);
      Tensor s = required(tensors, SENTENCE_PROJECTION, source);
      if (q.rank() != 2) {
        throw new MalformedWeightsException(source + ": " + QUERY_PROJECTION + " must be [hidden, rank], has shape "
            + java.util.Arrays.toString(q.shape()));
      }
      int hidden = (int) q.shape()[0];
      int rank = (int) q.shape()[1];
      return of(
          toMatrix(q, hidden, rank, source),
          toMatrix(s, hidden, rank, source),
          toVector(required(tensors, FEATURE_WEIGHTS, source), source),
          toVector(required(tensors, FEATURE_MEAN, source), source),
          toVector(required(tensors, FEATURE_SCALE, source), source));
    } catch (IllegalArgumentException e) {
      throw new MalformedWeightsException(source + ": " + e.getMessage());
    }
  }

  private static Tensor required(Map<String, Tensor> tensors, String name, String source)
      throws MalformedWeightsException {
    Tensor t = tensors.get(name);
    if (t == null) {
      throw new MalformedWeightsException(source + ": tensor '" + name + "' is missing (has " + tensors.keySet() + ")");
    }
    if (!t.dtype().isFloatingPoint()) {
      throw new MalformedWeightsException(
          source + ": tensor '" + name + "' has type " + t.dtype() + ", expected a float type");
    }
    return t;
  }

  private static float[][] toMatrix(Tensor t, int rows, int cols, String source) throws MalformedWeightsException {
    if (t.rank() != 2 || t.shape()[0] != rows || t.shape()[1] != cols) {
      throw new MalformedWeightsException(source + ": " + t.name() + " has shape " + java.util.Arrays.toString(t.shape())
          + ", expected [" + rows + ", " + cols + "]");
    }
    float[] flat = t.toFloatArray();
    float[][] out = new float[rows][cols];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(flat, r * cols, out[r], 0, cols);
    }
    return out;
  }

  private static float[] toVector(Tensor t, String source) throws MalformedWeightsException {
    if (t.rank() != 1 || t.shape()[0] != FEATURES) {
      throw new MalformedWeightsException(source + ": " + t.name() + " has shape " + java.util.Arrays.toString(t.shape())
          + ", expected [" + FEATURES + "]");
    }
    return t.toFloatArray();
  }

  private static Tensor matrix(String name, float[][] m) {
    float[] flat = new float[m.length * m[0].length];
    for (int r = 0; r < m.length; r++) {
      System.arraycopy(m[r], 0, flat, r * m[0].length, m[0].length);
    }
    return Tensor.ofFloats(name, new long[] {m.length, m[0].length}, flat);
  }

  private static void checkMatrix(String name, float[][] m, int rows, int cols) {
    checkArgument(m != null && m.length == rows, "%s must have %s rows", name, rows);
    for (float[] row : m) {
      checkArgument(row != null && row.length == cols, "%s must be [%s, %s]", name, rows, cols);
      for (float x : row) {
        checkArgument(Float.isFinite(x), "%s has a non-finite value", name);
      }
    }
  }

  private static void checkVector(String name, float[] v) {
    checkArgument(v != null && v.length == FEATURES, "%s must have %s values", name, FEATURES);
    for (float x : v) {
      checkArgument(Float.isFinite(x), "%s has a non-finite value", name);
    }
  }

  private static float[][] copy(float[][] m) {
    float[][] out = new float[m.length][];
    for (int r = 0; r < m.length; r++) {
      out[r] = m[r].clone();
    }
    return out;
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }
}
