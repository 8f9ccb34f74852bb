package io.github.r2r.examples;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.r2r.model.Pooling;
import io.github.r2r.model.PretrainedEncoder;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.model.io.BertOnnxImporter;
import io.github.r2r.model.io.OnnxNode;
import io.github.r2r.model.io.OnnxWeights;
import io.github.r2r.model.io.Tensor;
import io.github.r2r.text.InputSequence;
import io.github.r2r.util.ParallelBatches;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The same model run by ONNX Runtime (fp32, all graph optimisations) on the same inputs as the
 * Reranker: same windows, length-sorted batches of the same size. The graph is the ONNX file a
 * pretrained encoder ships with; for another model of the same architecture (a distilled student) its
 * weights are substituted as initializer overrides. ONNX Runtime computes the encoder's
 * last hidden state; pooling, normalisation and (for cross-encoders) the pooler and rank head, which are
 * a negligible share of the work, are computed here in Java from the model's own weights.
 */
final class OnnxRuntimeContestant implements Contestant {
  /** How the exporter names the MatMul node of a linear layer (see {@link BertOnnxImporter}). */
  private static final Pattern MATMUL_NODE = Pattern.compile("/(.+)/MatMul");

  private final String name;
  private final RankingModel model;
  private final int batchSize;
  private final OrtEnvironment environment;
  private final OrtSession session;
  /**
   * Weights substituted into the graph. ONNX Runtime uses these buffers as they are, so they must
   * outlive the session (closing them earlier let a session read freed memory: NaN scores).
   */
  private final List<OnnxTensor> overrides = new ArrayList<>();
  /** Runs batches side by side, like the Reranker's workers. */
  private final ParallelBatches workers;
  private final float[] poolerWeight;
  private final float[] poolerBias;
  private final float[] headWeight;
  private final float headBias;

  /**
   * @param threads ONNX Runtime's intra-op threads (per session run)
   * @param workers batches run side by side, each a session run of its own
   * @param spinning whether ONNX Runtime's intra-op threads spin while waiting (its default)
   * @throws IllegalStateException if no pretrained encoder on the classpath has the model's architecture
   */
  OnnxRuntimeContestant(
      String name, RankingModel model, int batchSize, int threads, int workers, boolean spinning)
      throws IOException, OrtException {
    this.name = name;
    this.model = model;
    this.batchSize = batchSize;
    this.environment = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      options.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
      PretrainedEncoder graph = graphFor(model);
      try {
        if (!graph.modelName().equals(model.config().name())) {
          overrideWeights(options, graph, model, overrides);
        }
        this.session = environment.createSession(readGraph(graph), options);
      } catch (IOException | OrtException | RuntimeException e) {
        overrides.forEach(OnnxTensor::close);
        throw e;
      }
    }
    if (model.config().scoring() == ScoringMode.CROSS_ENCODER) {
      Map<String, Tensor> weights = model.exportWeights();
      poolerWeight = weights.get("bert.pooler.dense.weight").toFloatArray();
      poolerBias = weights.get("bert.pooler.dense.bias").toFloatArray();
      headWeight = weights.get("classifier.weight").toFloatArray();
      headBias = weights.get("classifier.bias").toFloatArray()[0];
    } else {
      poolerWeight = null;
      poolerBias = null;
      headWeight = null;
      headBias = 0;
    }
    // Last, so that a failed construction leaves no threads behind.
    this.workers = new ParallelBatches(workers, name);
  }

  /**
   * The pretrained encoder whose ONNX graph runs the model: the model itself when it is one, else one of
   * the same architecture (a student distilled from it), whose weights are then replaced.
   */
  private static PretrainedEncoder graphFor(RankingModel model) {
    for (PretrainedEncoder encoder : PretrainedEncoder.values()) {
      if (encoder.modelName().equals(model.config().name())) {
        return encoder;
      }
    }
    for (PretrainedEncoder encoder : PretrainedEncoder.values()) {
      if (encoder.config().encoder().equals(model.config().encoder())
          && OnnxRuntimeContestant.class.getResource(encoder.onnxResource()) != null) {
        return encoder;
      }
    }
    throw new IllegalStateException(
        "no ONNX graph for model '"
            + model.config().name()
            + "': none of the pretrained encoders on the classpath has its architecture "
            + model.config().encoder());
  }

  private static byte[] readGraph(PretrainedEncoder encoder) throws IOException {
    try (InputStream in = OnnxRuntimeContestant.class.getResourceAsStream(encoder.onnxResource())) {
      if (in == null) {
        throw new IOException(encoder.onnxResource() + " is not on the classpath");
      }
      return in.readAllBytes();
    }
  }

  /**
   * Replaces every parameter initializer of the graph by the model's weight of the same Hugging Face
   * name ({@link BertOnnxImporter} names them; MatMul weights are stored [in, out], so transposed back).
   */
  private static void overrideWeights(
      OrtSession.SessionOptions options,
      PretrainedEncoder graph,
      RankingModel model,
      List<OnnxTensor> overrides)
      throws IOException, OrtException {
    OnnxWeights onnx = OnnxWeights.readResource(graph.onnxResource());
    Map<String, String> initializerByParameter = new HashMap<>();
    for (OnnxNode node : onnx.nodes()) {
      Matcher matcher = MATMUL_NODE.matcher(node.name());
      if (node.opType().equals("MatMul") && node.inputs().size() == 2 && matcher.matches()) {
        initializerByParameter.put(matcher.group(1).replace('/', '.') + ".weight", node.inputs().get(1));
      }
    }
    Map<String, Tensor> weights = new HashMap<>();
    for (Map.Entry<String, Tensor> e : model.exportWeights().entrySet()) {
      weights.put(e.getKey().startsWith("bert.") ? e.getKey().substring(5) : e.getKey(), e.getValue());
    }
    for (Map.Entry<String, Tensor> parameter :
        BertOnnxImporter.huggingFaceParameters(onnx).entrySet()) {
      Tensor weight = weights.get(parameter.getKey());
      if (weight == null) {
        continue; // buffers such as embeddings.position_ids
      }
      String initializer = initializerByParameter.getOrDefault(parameter.getKey(), parameter.getKey());
      Tensor stored = initializerByParameter.containsKey(parameter.getKey()) ? weight.transposed() : weight;
      OnnxTensor tensor =
          OnnxTensor.createTensor(
              OrtEnvironment.getEnvironment(), FloatBuffer.wrap(stored.toFloatArray()), stored.shape());
      overrides.add(tensor);
      options.addInitializer(initializer, tensor);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public float[] score(String query, List<String> documents) {
    ScoringInputs inputs = ScoringInputs.of(model, query, documents);
    List<InputSequence> windows = inputs.windows();
    boolean cross = model.config().scoring() == ScoringMode.CROSS_ENCODER;
    float[] queryEmbedding = cross ? null : vectors(List.of(inputs.query()))[0];
    Integer[] order = new Integer[windows.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, Comparator.comparingInt(i -> -windows.get(i).length()));
    float[] windowScores = new float[windows.size()];
    int batches = (order.length + batchSize - 1) / batchSize;
    workers.run(batches, b -> {
      int start = b * batchSize;
      List<InputSequence> batch = new ArrayList<>();
      for (int k = start; k < Math.min(order.length, start + batchSize); k++) {
        batch.add(windows.get(order[k]));
      }
      float[][] vectors = vectors(batch);
      for (int k = 0; k < batch.size(); k++) {
        windowScores[order[start + k]] =
            cross ? logit(vectors[k]) : ScoringInputs.dots(queryEmbedding, new float[][] {vectors[k]})[0];
      }
    });
    return inputs.maxPerDocument(windowScores, documents.size());
  }

  /** Per sequence: the normalised pooled embedding (bi-encoder) or the [CLS] state (cross-encoder). */
  private float[][] vectors(List<InputSequence> batch) {
    int rows = batch.size();
    int width = batch.stream().mapToInt(InputSequence::length).max().orElseThrow();
    long[] ids = new long[rows * width];
    long[] types = new long[rows * width];
    long[] mask = new long[rows * width];
    for (int r = 0; r < rows; r++) {
      InputSequence s = batch.get(r);
      System.arraycopy(s.ids(), 0, ids, r * width, s.length());
      System.arraycopy(s.typeIds(), 0, types, r * width, s.length());
      java.util.Arrays.fill(mask, r * width, r * width + s.length(), 1L);
    }
    long[] shape = {rows, width};
    try (OnnxTensor idTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
        OnnxTensor typeTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(types), shape);
        OnnxTensor maskTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape)) {
      Map<String, OnnxTensor> feed = new HashMap<>();
      for (String input : session.getInputNames()) {
        feed.put(
            input, input.contains("type") ? typeTensor : input.contains("mask") ? maskTensor : idTensor);
      }
      try (OrtSession.Result result = session.run(feed)) {
        FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
        int dim = hidden.capacity() / (rows * width);
        boolean cross = model.config().scoring() == ScoringMode.CROSS_ENCODER;
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
          out[r] =
              cross
                  ? token(hidden, (r * width) * dim, dim)
                  : normalised(pool(hidden, r * width * dim, batch.get(r).length(), dim));
        }
        return out;
      }
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
    }
  }

  private float[] pool(FloatBuffer hidden, int offset, int length, int dim) {
    if (model.config().pooling() == Pooling.CLS) {
      return token(hidden, offset, dim);
    }
    float[] sum = new float[dim];
    for (int t = 0; t < length; t++) {
      for (int k = 0; k < dim; k++) {
        sum[k] += hidden.get(offset + t * dim + k);
      }
    }
    for (int k = 0; k < dim; k++) {
      sum[k] /= length;
    }
    return sum;
  }

  private static float[] token(FloatBuffer hidden, int offset, int dim) {
    float[] out = new float[dim];
    hidden.get(offset, out);
    return out;
  }

  private static float[] normalised(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    float scale = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
    for (int k = 0; k < v.length; k++) {
      v[k] *= scale;
    }
    return v;
  }

  /** tanh(pooler([CLS])) through the rank head, as HF BertForSequenceClassification. */
  private float logit(float[] cls) {
    int dim = cls.length;
    float logit = headBias;
    for (int o = 0; o < dim; o++) {
      float sum = poolerBias[o];
      for (int k = 0; k < dim; k++) {
        sum += poolerWeight[o * dim + k] * cls[k];
      }
      logit += headWeight[o] * (float) Math.tanh(sum);
    }
    return logit;
  }

  @Override
  public void close() {
    workers.close();
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("cannot close ONNX Runtime session: " + e.getMessage(), e);
    } finally {
      overrides.forEach(OnnxTensor::close);
    }
  }
}
