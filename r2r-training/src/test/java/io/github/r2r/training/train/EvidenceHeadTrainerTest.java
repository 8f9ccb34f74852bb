package io.github.r2r.training.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.r2r.evidence.EvidenceFeatures;
import io.github.r2r.evidence.EvidenceHead;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.ScoringMode;
import io.github.r2r.model.SequenceRunner;
import io.github.r2r.text.SentenceSplitter;
import io.github.r2r.training.data.TrainingPassage;
import io.github.r2r.training.data.TrainingQuery;
import io.github.r2r.training.train.EvidenceHeadTrainer.CandidateScorer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EvidenceHeadTrainerTest {
  private static final int HIDDEN = 12;

  @Test
  void listwiseLossAndGradientMatchHandComputedValues() {
    // scores (0, ln 3): softmax (1/4, 3/4); the second matches: loss −ln(3/4), gradient p − t = (1/4, −1/4).
    double[] gradient = new double[2];
    double loss = new EvidenceHeadTrainer(EvidenceHeadTrainer.Config.defaults())
        .lossAndGradient(new double[] {0, Math.log(3)}, new boolean[] {false, true}, gradient);
    assertEquals(-Math.log(0.75), loss, 1e-12);
    assertArrayEquals(new double[] {0.25, -0.25}, gradient, 1e-12);
    // two matches share the target: scores (0, 0, 0), t = (1/2, 1/2, 0): loss −2 × ½ ln(1/3) = ln 3.
    loss = new EvidenceHeadTrainer(EvidenceHeadTrainer.Config.defaults())
        .lossAndGradient(new double[] {0, 0, 0}, new boolean[] {true, true, false}, gradient = new double[3]);
    assertEquals(Math.log(3), loss, 1e-12);
    assertArrayEquals(new double[] {1 / 3.0 - 0.5, 1 / 3.0 - 0.5, 1 / 3.0}, gradient, 1e-12);
  }

  @Test
  void lossGradientAgreesWithFiniteDifferences() {
    EvidenceHeadTrainer trainer = new EvidenceHeadTrainer(EvidenceHeadTrainer.Config.defaults());
    Random random = new Random(3);
    for (int trial = 0; trial < 20; trial++) {
      int n = 2 + random.nextInt(6);
      double[] scores = new double[n];
      boolean[] matches = new boolean[n];
      for (int i = 0; i < n; i++) {
        scores[i] = random.nextGaussian() * 3;
        matches[i] = random.nextInt(3) == 0;
      }
      matches[random.nextInt(n)] = true;
      double[] gradient = new double[n];
      trainer.lossAndGradient(scores, matches, gradient);
      for (int i = 0; i < n; i++) {
        double h = 1e-6;
        double[] up = scores.clone();
        double[] down = scores.clone();
        up[i] += h;
        down[i] -= h;
        double numeric = (trainer.lossAndGradient(up, matches, new double[n])
            - trainer.lossAndGradient(down, matches, new double[n])) / (2 * h);
        assertEquals(numeric, gradient[i], 1e-6, "trial " + trial + " candidate " + i);
      }
    }
  }

  @Test
  void learnsWhatTheZeroShotCosineCannotSee() {
    // The answer is the candidate whose span state points along a direction tied to the query (a
    // hidden rotation), while the sentence cosines are noise: zero-shot is at chance, the head learns it.
    List<EvidenceExample> train = planted(400, 1);
    List<EvidenceExample> test = planted(200, 2);
    EvidenceHeadTrainer.Result result =
        new EvidenceHeadTrainer(new EvidenceHeadTrainer.Config(4, 8, 0.01, 1e-4, 0.01, 5)).train(train);
    double zeroShot = EvidenceHeadTrainer.accuracy(test, CandidateScorer.zeroShot());
    double head = EvidenceHeadTrainer.accuracy(test, CandidateScorer.of(result.head()));
    assertTrue(zeroShot < 0.4, "zero-shot " + zeroShot);
    assertTrue(head > 0.9, "head " + head + " (zero-shot " + zeroShot + ")");
    List<Double> losses = result.epochLosses();
    assertEquals(8, losses.size());
    assertTrue(losses.get(7) < losses.get(0) / 2, "losses " + losses);
  }

  @Test
  void sameExamplesAndSeedGiveTheSameHead() {
    List<EvidenceExample> examples = planted(50, 4);
    EvidenceHeadTrainer.Config config = new EvidenceHeadTrainer.Config(3, 2, 0.01, 1e-3, 0.01, 9);
    EvidenceHead a = new EvidenceHeadTrainer(config).train(examples).head();
    EvidenceHead b = new EvidenceHeadTrainer(config).train(examples).head();
    EvidenceHead c = new EvidenceHeadTrainer(new EvidenceHeadTrainer.Config(3, 2, 0.01, 1e-3, 0.01, 10))
        .train(examples).head();
    EvidenceExample e = examples.get(0);
    assertEquals(a.score(e.query(), 0.3f, e.spanStates()[0]), b.score(e.query(), 0.3f, e.spanStates()[0]));
    assertTrue(a.score(e.query(), 0.3f, e.spanStates()[0]) != c.score(e.query(), 0.3f, e.spanStates()[0]));
  }

  @Test
  void aSubclassCanReplaceTheLoss() {
    AtomicInteger calls = new AtomicInteger();
    EvidenceHeadTrainer hinge = new EvidenceHeadTrainer(new EvidenceHeadTrainer.Config(2, 1, 0.01, 0, 0.01, 1)) {
      @Override
      protected double lossAndGradient(double[] scores, boolean[] matches, double[] gradient) {
        calls.incrementAndGet();
        // Margin loss: every non-matching candidate should score 1 below the first match.
        int positive = 0;
        while (!matches[positive]) {
          positive++;
        }
        double loss = 0;
        for (int i = 0; i < scores.length; i++) {
          if (!matches[i] && scores[i] + 1 > scores[positive]) {
            loss += scores[i] + 1 - scores[positive];
            gradient[i] += 1;
            gradient[positive] -= 1;
          }
        }
        return loss;
      }
    };
    List<EvidenceExample> examples = planted(30, 6);
    hinge.train(examples);
    assertEquals(30, calls.get());
  }

  @Test
  void badExamplesAndSettingsAreNamed() {
    assertEquals("no candidate matches the teacher's sentence", assertThrows(IllegalArgumentException.class,
        () -> new EvidenceExample("q", new float[2], new float[] {0.1f}, new float[][] {{1, 0}},
            new boolean[] {false})).getMessage());
    assertEquals("rank must be positive, got 0", assertThrows(IllegalArgumentException.class,
        () -> new EvidenceHeadTrainer.Config(0, 1, 0.1, 0, 0.01, 1)).getMessage());
    assertEquals("no evidence examples to train on", assertThrows(IllegalArgumentException.class,
        () -> new EvidenceHeadTrainer(EvidenceHeadTrainer.Config.defaults()).train(List.of())).getMessage());
  }

  @Test
  void examplesComeFromTeacherSentencesThatACandidateMatches() throws IOException {
    String answer = "The flea life cycle takes between two weeks and eight months to complete.";
    String other = "Fleas are small insects without wings that live on cats and dogs.";
    TrainingQuery query = TrainingQuery.of("q1", "how long is the flea life cycle", List.of(
        TrainingPassage.builder("p1", other + " " + answer).evidenceSentence(answer).build(),
        TrainingPassage.builder("p2", other).evidenceSentence("Not applicable").build(),
        TrainingPassage.builder("p3", other).build(),
        TrainingPassage.builder("p4", other).evidenceSentence("Something no sentence of the passage says at all.").build()),
        "test");
    try (RankingModel model = TinyTraining.tinyModel(ScoringMode.BI_ENCODER, 2)) {
      EvidenceExamples.Result result = EvidenceExamples.of(List.of(query),
          new EvidenceFeatures(model, SentenceSplitter.english(), 64), SentenceSplitter.english(),
          SequenceRunner.inOrder(4), null);
      assertEquals(1, result.examples().size());
      assertEquals(1, result.noEvidence());
      assertEquals(1, result.placeholder());
      assertEquals(1, result.notMatched());
      EvidenceExample example = result.examples().get(0);
      assertEquals("q1", example.qid());
      assertArrayEquals(new boolean[] {false, true}, example.matches());
      assertEquals(32, example.spanStates()[1].length);
    }
  }

  /**
   * Passages of 4 candidates; the query is random, the answer's span state is R q (R a fixed random
   * rotation-like matrix) plus noise, the others random; sentence cosines are noise.
   */
  private static List<EvidenceExample> planted(int count, long seed) {
    Random fixed = new Random(99);
    float[][] r = new float[HIDDEN][HIDDEN];
    for (float[] row : r) {
      for (int c = 0; c < HIDDEN; c++) {
        row[c] = (float) fixed.nextGaussian();
      }
    }
    Random random = new Random(seed);
    List<EvidenceExample> out = new ArrayList<>();
    for (int e = 0; e < count; e++) {
      float[] query = gaussian(random);
      int answer = random.nextInt(4);
      float[][] spans = new float[4][];
      float[] cosines = new float[4];
      boolean[] matches = new boolean[4];
      for (int i = 0; i < 4; i++) {
        cosines[i] = (float) (0.8 + 0.05 * random.nextGaussian());
        if (i == answer) {
          float[] span = new float[HIDDEN];
          for (int h = 0; h < HIDDEN; h++) {
            for (int k = 0; k < HIDDEN; k++) {
              span[h] += r[h][k] * query[k];
            }
            span[h] += (float) (0.3 * random.nextGaussian());
          }
          spans[i] = span;
          matches[i] = true;
        } else {
          spans[i] = gaussian(random);
        }
      }
      out.add(new EvidenceExample("q" + e, query, cosines, spans, matches));
    }
    return out;
  }

  private static float[] gaussian(Random random) {
    float[] v = new float[HIDDEN];
    for (int i = 0; i < HIDDEN; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }
}
