package io.github.r2r.training.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import io.github.r2r.EvidenceScoring;
import io.github.r2r.Explain;
import io.github.r2r.Ranking;
import io.github.r2r.Reranker;
import io.github.r2r.evidence.EvidenceHead;
import io.github.r2r.generate.ReasonConfig;
import io.github.r2r.generate.ReasonModel;
import io.github.r2r.model.HfBlock;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.model.WeightStore;
import io.github.r2r.model.io.Tensor;
import io.github.r2r.training.train.EvidenceExamples.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ranking, reasons and evidence trained together by one DistillationTrainer, on a tiny bi-encoder. */
class MultiTaskTrainingTest {
  private static final List<String> WORDS = List.of("apple", "river", "stone", "cloud", "tiger", "piano",
      "garden", "silver", "market", "violin", "desert", "rabbit", "window", "castle", "pencil", "summer");

  @TempDir Path tmp;

  @Test
  void tasksLowerTheirLossesAndShipWithTheBestModel() throws IOException {
    Path work = tmp.resolve("run");
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, 3);
        ReasonModel reasons = reasons(model)) {
      TrainerConfig config = TinyTraining.config(30);
      config.checkpointEvery = 10;
      List<AuxiliaryTask> tasks = List.of(
          new ReasonTask(reasons, ReasonExamples.of(ReasonTrainerTest.queries(16), reasons), 4, 0f, 5,
              TaskWeight.fixed(1f)),
          new EvidenceTask(model, targets(24), randomHead(32, 4, 1), 64, 4, 5, TaskWeight.fixed(1f)));
      new DistillationTrainer(model, config, TinyTraining.listNetOnRanks(), TinyTraining.lists(8, 1), null, work, tasks)
          .train();
      List<JsonObject> steps = TinyTraining.steps(work);
      assertEquals(30, steps.size());
      for (String task : List.of("reasons", "evidence")) {
        double first = mean(steps.subList(0, 6), task);
        double last = mean(steps.subList(24, 30), task);
        assertTrue(last < first, task + " loss " + first + " -> " + last);
      }
    }
    Path best = work.resolve("best");
    for (String file : List.of("model.safetensors", ReasonModel.CONFIG_FILE, ReasonModel.WEIGHTS_FILE,
        EvidenceHead.WEIGHTS_FILE)) {
      assertTrue(Files.isRegularFile(best.resolve(file)), file + " in the best model directory");
    }
    assertTrue(Files.readString(best.resolve("README.md")).contains("Auxiliary tasks"));
    try (Reranker reranker = Reranker.builder().model(best)
        .explain(EnumSet.of(Explain.EVIDENCE, Explain.POINTWISE, Explain.COMPARATIVE), 2)
        .evidenceScoring(EvidenceScoring.TRAINED_HEAD)
        .reasonDecoding(io.github.r2r.generate.DecodingOptions.defaults().withMaxTokens(12)).build()) {
      Ranking ranking = reranker.rerank("apple river", List.of(passage(0), passage(3), passage(6)));
      assertTrue(ranking.atRank(1).evidence().isPresent());
      assertTrue(ranking.atRank(1).reason().isPresent());
      assertEquals(1, ranking.comparisons().size());
    }
  }

  @Test
  void aKilledMultiTaskRunResumesToTheParametersOfAnUninterruptedOne() throws IOException {
    Map<String, Tensor> uninterrupted = run(tmp.resolve("straight"), 3, Integer.MAX_VALUE);
    Path killed = tmp.resolve("killed");
    assertThrows(IllegalStateException.class, () -> run(killed, 3, 5));
    Map<String, Tensor> resumed = run(killed, 99, Integer.MAX_VALUE);
    TinyTraining.assertSameWeights(uninterrupted, resumed, 0f);
  }

  @Test
  void aGarbageCollectionBeforeEachBackwardPassChangesNothing() throws IOException {
    // The reason decoder's and the evidence head's losses are computed, then the collector runs:
    // whatever of their forward passes autograd keeps must not live in memory it frees (ScalarOps).
    Map<String, Tensor> plain = run(tmp.resolve("plain"), 3, Integer.MAX_VALUE);
    Map<String, Tensor> collected = run(tmp.resolve("collected"), 3, Integer.MAX_VALUE, true);
    TinyTraining.assertSameWeights(plain, collected, 0f);
  }

  @Test
  void aTasksLearningRateScaleMovesOnlyItsOwnParametersFaster() throws IOException {
    // One step: the gradients do not depend on the rates yet, so the encoder moves the same in both
    // runs and the head, under Adam's first step (about rate × sign of the gradient), ten times as far.
    Map<String, Tensor> slow = oneStep(tmp.resolve("slow"), 1f);
    Map<String, Tensor> fast = oneStep(tmp.resolve("fast"), 10f);
    Map<String, Tensor> start = startHead();
    double slowMove = 0;
    double fastMove = 0;
    for (String key : start.keySet()) {
      float[] s0 = start.get(key).toFloatArray();
      float[] s1 = slow.remove(key).toFloatArray();
      float[] f1 = fast.remove(key).toFloatArray();
      for (int i = 0; i < s0.length; i++) {
        slowMove += Math.abs(s1[i] - s0[i]);
        fastMove += Math.abs(f1[i] - s0[i]);
      }
    }
    assertTrue(slowMove > 0, "the head moved");
    assertEquals(10.0, fastMove / slowMove, 0.1);
    TinyTraining.assertSameWeights(slow, fast, 0f);
  }

  /** The encoder's weights and the head's projections after one step with the head at {@code scale}. */
  private Map<String, Tensor> oneStep(Path work, float scale) throws IOException {
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, 3)) {
      TrainerConfig config = TinyTraining.config(1);
      config.warmupFraction = 0f;
      EvidenceTask evidence = new EvidenceTask(model, targets(8), randomHead(32, 4, 1), 64, 4, 5,
          TaskWeight.fixed(1f), scale);
      new DistillationTrainer(model, config, TinyTraining.listNetOnRanks(), TinyTraining.lists(4, 1), null, work,
          List.of(evidence)).train();
      Map<String, Tensor> out = new LinkedHashMap<>(model.exportWeights());
      out.putAll(head(evidence.currentHead()));
      return out;
    }
  }

  private static Map<String, Tensor> startHead() {
    return head(randomHead(32, 4, 1));
  }

  private static Map<String, Tensor> head(EvidenceHead head) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    float[][] q = head.queryProjection();
    float[][] s = head.sentenceProjection();
    for (int r = 0; r < q.length; r++) {
      out.put("head.q" + r, Tensor.ofFloats("q", new long[] {q[r].length}, q[r]));
      out.put("head.s" + r, Tensor.ofFloats("s", new long[] {s[r].length}, s[r]));
    }
    return out;
  }

  @Test
  void taskNamesMustBeDistinct() throws IOException {
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, 3)) {
      EvidenceTask a = new EvidenceTask(model, targets(4), randomHead(32, 2, 1), 64, 2, 1, TaskWeight.fixed(1f));
      EvidenceTask b = new EvidenceTask(model, targets(4), randomHead(32, 2, 1), 64, 2, 1, TaskWeight.fixed(1f));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DistillationTrainer(
          model, TinyTraining.config(2), TinyTraining.listNetOnRanks(), TinyTraining.lists(4, 1), null, tmp,
          List.of(a, b)));
      assertEquals("two auxiliary tasks are named 'evidence'", e.getMessage());
    }
  }

  /**
   * 7 steps of ranking + reasons (learnable weight) + evidence, checkpoints every 3; dies in step
   * {@code crashAtStep} (1-based) when given. Fresh model and tasks from {@code seed}: a resumed run
   * must get everything from the checkpoint.
   */
  private static Map<String, Tensor> run(Path work, long seed, int crashAtStep) throws IOException {
    return run(work, seed, crashAtStep, false);
  }

  /** {@link #run(Path, long, int)}, collecting garbage after the last task's loss when asked. */
  private static Map<String, Tensor> run(Path work, long seed, int crashAtStep, boolean collectBeforeBackward)
      throws IOException {
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, seed);
        ReasonModel reasons = reasons(model);
        NDManager weights = model.manager().newSubManager()) {
      TrainerConfig config = TinyTraining.config(7);
      config.checkpointEvery = 3;
      TaskWeight learnable = TaskWeight.learnable(seed == 3 ? 0.5f : 0.2f, weights);
      AuxiliaryTask reasonTask = new ReasonTask(
          reasons, ReasonExamples.of(ReasonTrainerTest.queries(8), reasons), 4, 0.1f, 5, learnable);
      EvidenceTask evidence = new EvidenceTask(model, targets(8), randomHead(32, 4, seed), 64, 4, 5, TaskWeight.fixed(0.5f));
      AuxiliaryTask faulty = new FaultInjectingTask(evidence, crashAtStep, collectBeforeBackward);
      new DistillationTrainer(model, config, TinyTraining.listNetOnRanks(), TinyTraining.lists(8, 1), null, work,
          List.of(reasonTask, faulty)).train();
      Map<String, Tensor> out = new LinkedHashMap<>(model.exportWeights());
      out.putAll(WeightStore.export(reasons.decoder(), "reasons."));
      out.put("reasons.weight", Tensor.ofFloats("w", new long[] {1}, new float[] {learnable.current()}));
      EvidenceHead head = evidence.currentHead();
      float[][] q = head.queryProjection();
      for (int r = 0; r < q.length; r++) {
        out.put("evidence.q" + r, Tensor.ofFloats("q", new long[] {q[r].length}, q[r]));
      }
      out.put("evidence.w", Tensor.ofFloats("w", new long[] {2}, head.featureParameters()[0]));
      return out;
    }
  }

  /**
   * Delegates to a task and throws while computing the loss of step {@code crashAtStep} (1-based);
   * with {@code collect}, collects garbage after each loss it computed (the last task's: just before
   * the backward pass).
   */
  private record FaultInjectingTask(AuxiliaryTask task, int crashAtStep, boolean collect) implements AuxiliaryTask {
    @Override
    public String name() {
      return task.name();
    }

    @Override
    public TaskWeight weight() {
      return task.weight();
    }

    @Override
    public Map<String, HfBlock.WeightSlot> parameters() {
      return task.parameters();
    }

    @Override
    public NDArray loss(ParameterStore ps, NDManager scope, int step) {
      if (step + 1 == crashAtStep) {
        throw new IllegalStateException("simulated crash in step " + crashAtStep);
      }
      NDArray loss = task.loss(ps, scope, step);
      if (collect) {
        TinyTraining.collectGarbageAndReuseFreedMemory();
      }
      return loss;
    }

    @Override
    public void save(Path modelDir) throws IOException {
      task.save(modelDir);
    }
  }

  private static ReasonModel reasons(RankingModel model) {
    return ReasonModel.warmStarted(model, new ReasonConfig(model.config().name(), 2, 16, 48), 11);
  }

  /**
   * Passages of three sentences of at least 8 words; the teacher's sentence is the one that contains
   * the query's first word twice.
   */
  private static List<Target> targets(int count) {
    List<Target> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String a = WORDS.get(i % WORDS.size());
      String answer = "The " + a + " is the " + a + " that people mention here today.";
      String passage = passage(i) + " " + answer + " " + sentence(i + 7);
      out.add(new Target("q" + i, a + " " + WORDS.get((i + 3) % WORDS.size()), passage, answer));
    }
    return out;
  }

  private static String passage(int i) {
    return sentence(i + 1);
  }

  private static String sentence(int i) {
    StringBuilder s = new StringBuilder();
    for (int k = 0; k < 9; k++) {
      s.append(k == 0 ? "" : " ").append(WORDS.get((i + k * 5) % WORDS.size()));
    }
    return s.append('.').toString();
  }

  private static EvidenceHead randomHead(int hidden, int rank, long seed) {
    Random random = new Random(hidden * 7L + rank + 1000 * seed);
    float[][] q = new float[hidden][rank];
    float[][] s = new float[hidden][rank];
    for (int h = 0; h < hidden; h++) {
      for (int r = 0; r < rank; r++) {
        q[h][r] = (float) (0.1 * random.nextGaussian());
        s[h][r] = (float) (0.1 * random.nextGaussian());
      }
    }
    return EvidenceHead.of(q, s, new float[] {1f, 0.5f}, new float[] {0.5f, 0.5f}, new float[] {0.2f, 0.2f});
  }

  private static double mean(List<JsonObject> steps, String component) {
    return steps.stream()
        .mapToDouble(j -> j.getAsJsonObject("components").get(component).getAsDouble())
        .average().orElseThrow();
  }
}
