package io.github.r2r.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.github.r2r.text.InputSequence;
import io.github.r2r.text.PaddedBatch;
import io.github.r2r.text.SequenceBuilder;
import io.github.r2r.text.TextTokenizer;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our DJL encoder against ONNX Runtime running the very same ONNX file (the reference is computed
 * live by ONNX Runtime, a test-scope dependency, so there are no fixtures to regenerate).
 */
class OnnxParityTest {
  private static final String LONG_TEXT =
      "The Manhattan Project was a research and development undertaking during World War II that "
          + "produced the first nuclear weapons. It was led by the United States with the support of the "
          + "United Kingdom and Canada. ";

  static List<String> inputs() {
    List<String> texts = new ArrayList<>();
    texts.add("cat");
    texts.add("what is the capital of france?");
    texts.add("Paris is the capital and most populous city of France.");
    texts.add("Crème brûlée, naïve café — Zürich, São Paulo, Kraków.");
    texts.add("東京は日本の首都です。");
    texts.add("Привет, как дела? Γειά σου κόσμε.");
    texts.add("emoji 🙂 and symbols ©®™ ± ≤ ≥ ∞");
    texts.add("    leading and trailing whitespace\t\n  ");
    texts.add("UPPER lower MiXeD CaSe 12345 3.14159 1e-10");
    texts.add("query: how long is the great wall of china");
    texts.add("passage: The Great Wall of China is over 21,000 km long.");
    texts.add("a b c d e f g h i j k l m n o p q r s t u v w x y z");
    texts.add("don't won't can't shouldn't it's they're");
    texts.add("http://example.com/path?query=1&x=y user@example.org");
    texts.add(LONG_TEXT);
    texts.add(LONG_TEXT.repeat(3));
    texts.add(LONG_TEXT.repeat(6));
    texts.add(LONG_TEXT.repeat(40)); // far past 512 tokens: cut to the full 512-token input
    texts.add("The quick brown fox jumps over the lazy dog. ".repeat(10));
    texts.add("anti-inflammatory drugs (NSAIDs) e.g. ibuprofen; dosage: 200–400 mg");
    texts.add("x");
    texts.add("Represent this sentence for searching relevant passages: what is dna");
    return texts;
  }

  @ParameterizedTest
  @EnumSource(PretrainedEncoder.class)
  void lastHiddenStateMatchesOnnxRuntime(PretrainedEncoder which) throws Exception {
    List<String> texts = inputs();
    try (RankingModel model = RankingModel.pretrained(which, Device.cpu());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = openSession(env, which)) {
      TextTokenizer tokenizer = model.tokenizer();
      SequenceBuilder builder = new SequenceBuilder(tokenizer.clsId(), tokenizer.sepId(), 512);
      List<InputSequence> sequences = new ArrayList<>();
      for (String text : texts) {
        sequences.add(builder.single(tokenizer.tokenize(text)));
      }
      assertEquals(512, sequences.get(17).length(), "the long input must fill the 512-token table");
      // One mixed-length batch (padding on most rows) plus each row alone (no padding). The 512-token
      // row stays out of the batch: it would pad every row to 512 and triple the test's run time.
      List<InputSequence> mixed = new ArrayList<>(sequences);
      mixed.remove(17);
      double maxDiff = compare(model, session, env, mixed)[0];
      double minCosine = 1;
      for (int i = 0; i < sequences.size(); i++) {
        double[] result = compare(model, session, env, List.of(sequences.get(i)));
        maxDiff = Math.max(maxDiff, result[0]);
        minCosine = Math.min(minCosine, result[1]);
      }
      assertTrue(maxDiff <= 1e-4, which + ": max |diff| of last hidden state = " + maxDiff);
      assertTrue(minCosine >= 0.99999, which + ": min cosine of mean-pooled embeddings = " + minCosine);
    }
  }

  /** Returns {max |diff| over real tokens, min cosine of mean-pooled embeddings}. */
  private static double[] compare(
      RankingModel model, OrtSession session, OrtEnvironment env, List<InputSequence> batch)
      throws Exception {
    PaddedBatch padded = new PaddedBatch(batch);
    int rows = padded.rows();
    int width = padded.width();
    float[] ours;
    try (NDManager scope = model.manager().newSubManager()) {
      NDList inputs = padded.toNDList(scope);
      NDArray hidden = model.hiddenStates(new ParameterStore(scope, false), inputs, false);
      ours = hidden.toFloatArray();
    }
    float[] theirs = runOnnx(session, env, batch, rows, width);
    int h = model.config().encoder().hiddenSize();
    double maxDiff = 0;
    double minCosine = 1;
    for (int r = 0; r < rows; r++) {
      int len = batch.get(r).length();
      double[] poolOurs = new double[h];
      double[] poolTheirs = new double[h];
      for (int t = 0; t < len; t++) {
        for (int k = 0; k < h; k++) {
          int idx = (r * width + t) * h + k;
          maxDiff = Math.max(maxDiff, Math.abs(ours[idx] - theirs[idx]));
          poolOurs[k] += ours[idx] / len;
          poolTheirs[k] += theirs[idx] / len;
        }
      }
      minCosine = Math.min(minCosine, cosine(poolOurs, poolTheirs));
    }
    return new double[] {maxDiff, minCosine};
  }

  private static float[] runOnnx(
      OrtSession session, OrtEnvironment env, List<InputSequence> batch, int rows, int width)
      throws Exception {
    long[] ids = new long[rows * width];
    long[] types = new long[rows * width];
    long[] mask = new long[rows * width];
    for (int r = 0; r < rows; r++) {
      InputSequence s = batch.get(r);
      System.arraycopy(s.ids(), 0, ids, r * width, s.length());
      System.arraycopy(s.typeIds(), 0, types, r * width, s.length());
      for (int t = 0; t < s.length(); t++) {
        mask[r * width + t] = 1;
      }
    }
    long[] shape = {rows, width};
    try (OnnxTensor idT = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
        OnnxTensor typeT = OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape);
        OnnxTensor maskT = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape)) {
      Map<String, OnnxTensor> feed = new java.util.HashMap<>();
      for (String name : session.getInputNames()) {
        feed.put(name, name.contains("type") ? typeT : name.contains("mask") ? maskT : idT);
      }
      try (OrtSession.Result result = session.run(feed)) {
        float[][][] out = (float[][][]) result.get(0).getValue();
        float[] flat = new float[rows * width * out[0][0].length];
        int i = 0;
        for (float[][] row : out) {
          for (float[] token : row) {
            System.arraycopy(token, 0, flat, i, token.length);
            i += token.length;
          }
        }
        return flat;
      }
    }
  }

  private static OrtSession openSession(OrtEnvironment env, PretrainedEncoder which) throws Exception {
    try (InputStream in = OnnxParityTest.class.getResourceAsStream(which.onnxResource())) {
      return env.createSession(in.readAllBytes(), new OrtSession.SessionOptions());
    }
  }

  private static double cosine(double[] a, double[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
