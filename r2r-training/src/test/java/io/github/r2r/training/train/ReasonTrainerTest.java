package io.github.r2r.training.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import io.github.r2r.generate.ReasonConfig;
import io.github.r2r.generate.ReasonDecoder;
import io.github.r2r.generate.ReasonKind;
import io.github.r2r.generate.ReasonModel;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.model.WeightStore;
import io.github.r2r.model.io.Tensor;
import io.github.r2r.training.data.TrainingPassage;
import io.github.r2r.training.data.TrainingQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reason trainer on a tiny model: it learns, it resumes exactly, and subclasses can change its loss. */
class ReasonTrainerTest {
  private static final List<String> WORDS =
      List.of("apple", "river", "guitar", "mountain", "ocean", "coffee", "winter", "garden", "doctor", "school",
          "engine", "silver", "forest", "camera", "planet", "bridge");

  @TempDir Path tmp;

  private static ReasonModel reasons(RankingModel encoder) {
    return ReasonModel.warmStarted(encoder, new ReasonConfig(encoder.config().name(), 2, 16, 48), 11);
  }

  /**
   * Queries of two words over passages of four; the teacher's pointwise reason names the passage's
   * first word, its comparative reason the upper passage's second word: learnable from the input.
   */
  static List<TrainingQuery> queries(int count) {
    List<TrainingQuery> out = new ArrayList<>();
    for (int q = 0; q < count; q++) {
      List<TrainingPassage> passages = new ArrayList<>();
      for (int p = 0; p < 2; p++) {
        int at = (q * 3 + p * 5) % WORDS.size();
        String text = String.join(" ", WORDS.get(at), WORDS.get((at + 1) % 16), WORDS.get((at + 2) % 16),
            WORDS.get((at + 7) % 16));
        passages.add(TrainingPassage.builder("q" + q + "p" + p, text)
            .pointwiseReason("the passage mentions " + WORDS.get(at))
            .comparativeReason("it is better because of " + WORDS.get((at + 1) % 16))
            .build());
      }
      out.add(TrainingQuery.withTeacherOrder("q" + q, WORDS.get(q % 16) + " " + WORDS.get((q + 5) % 16), passages,
          List.of(0, 1), "synthetic"));
    }
    return out;
  }

  private static ReasonTrainerConfig config(int steps) {
    ReasonTrainerConfig config = new ReasonTrainerConfig();
    config.steps = steps;
    config.batchSize = 4;
    config.learningRate = 1e-3f;
    config.warmupFraction = 0.1f;
    config.maxReasonTokens = 16;
    config.maxInputTokens = 48;
    config.checkpointEvery = 3;
    config.evalEvery = 0;
    return config.validate();
  }

  @Test
  void examplesCoverEveryReasonAndEveryAdjacentPair() throws IOException {
    try (RankingModel encoder = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, 3);
        ReasonModel model = reasons(encoder)) {
      List<ReasonExample> examples = ReasonExamples.of(queries(5), model);
      assertEquals(5 * 2, examples.stream().filter(e -> e.kind() == ReasonKind.POINTWISE).count());
      assertEquals(5, examples.stream().filter(e -> e.kind() == ReasonKind.COMPARATIVE).count());
      ReasonExample first = examples.get(0);
      assertEquals("the passage mentions apple", encoder.tokenizer().decode(first.target()));
    }
  }

  @Test
  void twentyStepsLowerTheDevLoss() throws IOException {
    try (RankingModel encoder = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, 3);
        ReasonModel model = reasons(encoder)) {
      List<ReasonExample> train = ReasonExamples.of(queries(24), model);
      List<ReasonExample> dev = ReasonExamples.of(queries(30).subList(24, 30), model);
      ReasonTrainerConfig config = config(20);
      // The tiny model's tied embeddings are small (hidden 32, std 0.02), so its logits move slowly.
      config.learningRate = 1e-2f;
      ReasonTrainer trainer = new ReasonTrainer(model, config, train, dev, tmp);
      double before = trainer.devLoss();
      ReasonTrainer.Result result = trainer.train();
      double after = trainer.devLoss();
      assertTrue(after < before - 0.5, "dev token NLL " + before + " -> " + after);
      assertEquals(after, result.bestDevLoss(), 1e-4, "the only dev evaluation is at the end");
      assertTrue(Files.isRegularFile(tmp.resolve("best/reasons.safetensors")));
      assertEquals(20, TinyTraining.steps(tmp).size());
    }
  }

  @Test
  void aKilledRunResumesToTheWeightsOfAnUninterruptedOne() throws IOException {
    Map<String, Tensor> expected = run(tmp.resolve("whole"), 11, Integer.MAX_VALUE);
    Path killed = tmp.resolve("killed");
    assertThrows(SimulatedCrash.class, () -> run(killed, 11, 5));
    // The new process initialises its decoder differently; the checkpoint must replace all of it.
    Map<String, Tensor> resumed = run(killed, 12, Integer.MAX_VALUE);
    TinyTraining.assertSameWeights(expected, resumed, 0f);
    assertEquals(
        List.of(1, 2, 3, 4, 4, 5, 6, 7),
        TinyTraining.steps(killed).stream().map(j -> j.get("step").getAsInt()).toList(),
        "step 4 ran before the crash and again after resuming from the step-3 checkpoint");
  }

  @Test
  void aGarbageCollectionBeforeEachBackwardPassChangesNothing() throws IOException {
    // What the decoder's forward and loss keep for the backward pass must not live in memory the
    // collector frees (ScalarOps: attention and copy-attention scaling, label smoothing).
    TinyTraining.assertSameWeights(
        run(tmp.resolve("plain"), 11, Integer.MAX_VALUE), run(tmp.resolve("collected"), 11, Integer.MAX_VALUE, true), 0f);
  }

  @Test
  void aResumeUnderAnotherConfigIsRefusedNamingTheKeyAndTheWorkDir() throws IOException {
    Path killed = tmp.resolve("killed");
    assertThrows(SimulatedCrash.class, () -> run(killed, 11, 5));

    try (RankingModel encoder = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, 3);
        ReasonModel model = reasons(encoder)) {
      ReasonTrainer longer = new ReasonTrainer(model, config(9), ReasonExamples.of(queries(8), model), List.of(), killed);
      IllegalStateException e = assertThrows(IllegalStateException.class, longer::train);

      assertTrue(e.getMessage().contains(killed.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("differing in steps (checkpoint 7, now 9):"), e.getMessage());
    }
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> ReasonTrainer.checkResumable(killed, config(9)));
    assertTrue(e.getMessage().contains("differing in steps (checkpoint 7, now 9):"), "checked without a model too");
    ReasonTrainer.checkResumable(killed, config(7));
    ReasonTrainer.checkResumable(tmp.resolve("new"), config(9));
  }

  @Test
  void theTrainerKeepsItsOwnCopyOfTheConfig() throws IOException {
    try (RankingModel encoder = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, 3);
        ReasonModel model = reasons(encoder)) {
      ReasonTrainerConfig config = config(2);
      ReasonTrainer trainer = new ReasonTrainer(model, config, ReasonExamples.of(queries(8), model), List.of(), tmp);

      config.steps = 50;
      config.batchSize = 1000;
      trainer.train();

      assertEquals(2, TinyTraining.steps(tmp).size());
    }
  }

  private static Map<String, Tensor> run(Path workDir, long decoderSeed, int crashAtCall) throws IOException {
    return run(workDir, decoderSeed, crashAtCall, false);
  }

  /**
   * A fresh process: new encoder and decoder; the loss computation of step call crashAtCall dies; with
   * {@code collect}, garbage is collected after every loss, just before its backward pass.
   */
  private static Map<String, Tensor> run(Path workDir, long decoderSeed, int crashAtCall, boolean collect)
      throws IOException {
    try (RankingModel encoder = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, 3);
        ReasonModel model =
            ReasonModel.warmStarted(encoder, new ReasonConfig(encoder.config().name(), 2, 16, 48), decoderSeed)) {
      List<ReasonExample> train = ReasonExamples.of(queries(8), model);
      new ReasonTrainer(model, config(7), train, List.of(), workDir) {
        private int calls;

        @Override
        protected NDArray computeLoss(
            ReasonDecoder.Output output, NDArray labels, NDArray mask, NDArray sourceIds, boolean training) {
          if (++calls == crashAtCall) {
            throw new SimulatedCrash();
          }
          NDArray loss = super.computeLoss(output, labels, mask, sourceIds, training);
          if (collect) {
            TinyTraining.collectGarbageAndReuseFreedMemory();
          }
          return loss;
        }
      }.train();
      return WeightStore.export(model.decoder(), "");
    }
  }

  private static final class SimulatedCrash extends RuntimeException {
    SimulatedCrash() {
      super("simulated crash in the loss computation");
    }
  }

  @Test
  void aSubclassAddsALossTermWithoutCopyingTheLoop() throws IOException {
    try (RankingModel encoder = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, 3);
        ReasonModel model = reasons(encoder)) {
      List<ReasonExample> train = ReasonExamples.of(queries(8), model);
      List<Float> added = new ArrayList<>();
      new ReasonTrainer(model, config(4), train, List.of(), tmp) {
        /** Penalises confident logits (a z-loss), on top of the cross-entropy. */
        @Override
        protected NDArray computeLoss(
            ReasonDecoder.Output output, NDArray labels, NDArray mask, NDArray sourceIds, boolean training) {
          NDArray zLoss = output.logits().square().mean().mul(1e-3f);
          added.add(zLoss.getFloat());
          return super.computeLoss(output, labels, mask, sourceIds, training).add(zLoss);
        }
      }.train();
      assertEquals(4, added.size());
      List<Double> logged =
          TinyTraining.steps(tmp).stream().map(j -> j.get("loss").getAsDouble()).toList();
      assertEquals(4, logged.size());
      assertTrue(added.stream().allMatch(z -> z > 0), "the added term is part of every step's loss");
    }
  }

  @Test
  void configErrorsNameTheKey() {
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> ReasonTrainerConfig.fromJson("{\"stepz\": 3}"));
    assertEquals("reason trainer config has an unknown key 'stepz'", unknown.getMessage());
    IllegalArgumentException typed =
        assertThrows(IllegalArgumentException.class, () -> ReasonTrainerConfig.fromJson("{\"steps\": \"many\"}"));
    assertEquals("reason trainer config key 'steps' must be a number, got \"many\"", typed.getMessage());
    IllegalArgumentException range =
        assertThrows(IllegalArgumentException.class, () -> ReasonTrainerConfig.fromJson("{\"labelSmoothing\": 1}"));
    assertEquals("labelSmoothing must be in [0, 1), got 1.0", range.getMessage());
    IllegalArgumentException infinite =
        assertThrows(IllegalArgumentException.class, () -> ReasonTrainerConfig.fromJson("{\"maxGradNorm\": 1e39}"));
    assertEquals("maxGradNorm must be positive and finite, got Infinity", infinite.getMessage());
    IllegalArgumentException infiniteDecay =
        assertThrows(IllegalArgumentException.class, () -> ReasonTrainerConfig.fromJson("{\"weightDecay\": 1e39}"));
    assertEquals("weightDecay must be non-negative and finite, got Infinity", infiniteDecay.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ReasonTrainerConfig.fromJson("{\"steps\": 3"));
  }
}
