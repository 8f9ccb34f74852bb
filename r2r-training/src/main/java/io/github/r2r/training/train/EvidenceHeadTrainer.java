package io.github.r2r.training.train;

import static com.google.common.base.Preconditions.checkArgument;

import io.github.r2r.evidence.EvidenceHead;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Trains an {@link EvidenceHead} on {@link EvidenceExample}s with a listwise loss: per passage, the
 * cross-entropy between the softmax of the head's candidate scores and the uniform distribution over
 * the candidates that match the teacher's sentence. Adam, one passage per step, an L2 penalty on the
 * two projections, fixed seed: the same examples and config give the same head.
 *
 * <p>The encoder is frozen: the features are computed once ({@link EvidenceExamples}), and training the
 * head itself takes seconds, so there are no checkpoints; a crashed run is simply started again.
 *
 * <p>Subclass and override {@link #lossAndGradient} for another loss over a passage's candidate scores.
 */
public class EvidenceHeadTrainer {
  /**
   * @param rank columns of the two projections
   * @param epochs passes over the examples
   * @param learningRate Adam's step size
   * @param l2 penalty on the projections' squared entries (pulls the head toward the zero-shot score)
   * @param initScale standard deviation of the projections' initial entries
   * @param seed initialisation and shuffling
   */
  public record Config(int rank, int epochs, double learningRate, double l2, double initScale, long seed) {
    /**
     * Checks the values.
     *
     * @param rank columns of the two projections, at least 1
     * @param epochs passes over the examples, at least 1
     * @param learningRate Adam's step size, positive
     * @param l2 penalty on the projections' squared entries, non-negative
     * @param initScale standard deviation of the projections' initial entries, positive
     * @param seed initialisation and shuffling
     * @throws IllegalArgumentException if {@code rank} or {@code epochs} is less than 1, {@code
     *     learningRate} or {@code initScale} is not positive and finite, or {@code l2} is negative or
     *     not finite
     */
    public Config {
      checkArgument(rank >= 1, "rank must be positive, got %s", rank);
      checkArgument(epochs >= 1, "epochs must be positive, got %s", epochs);
      checkArgument(learningRate > 0 && Double.isFinite(learningRate), "learningRate must be positive, got %s", learningRate);
      checkArgument(l2 >= 0 && Double.isFinite(l2), "l2 must be non-negative, got %s", l2);
      checkArgument(initScale > 0 && Double.isFinite(initScale), "initScale must be positive, got %s", initScale);
    }

    /**
     * Rank 16, 5 epochs, learning rate 0.003, L2 0.001, initial scale 0.01, seed 13: chosen by 5-fold
     * cross-validation over the queries of {@code train-msmarco-500.jsonl} (docs/explanations.md).
     *
     * @return the default config
     */
    public static Config defaults() {
      return new Config(16, 5, 0.003, 1e-3, 0.01, 13);
    }
  }

  /**
   * The trained head and the mean loss of every epoch.
   *
   * @param head the trained head
   * @param epochLosses the mean loss of each epoch, in order
   */
  public record Result(EvidenceHead head, List<Double> epochLosses) {}

  private final Config config;

  /**
   * A trainer with the given settings.
   *
   * @param config the settings, e.g. {@link Config#defaults()}
   */
  public EvidenceHeadTrainer(Config config) {
    this.config = config;
  }

  /** {@return the settings this trainer runs with} */
  public Config config() {
    return config;
  }

  /**
   * Trains a head on {@code examples}.
   *
   * @param examples the examples, not empty, all with queries of the same dimension
   * @return the trained head and the mean loss of every epoch
   * @throws IllegalArgumentException if {@code examples} is null or empty, or their query dimensions
   *     differ
   */
  public Result train(List<EvidenceExample> examples) {
    checkArgument(examples != null && !examples.isEmpty(), "no evidence examples to train on");
    int hidden = examples.get(0).query().length;
    int features = EvidenceHead.FEATURES;
    // The two cosines live on a narrow scale (e5's are all near 0.8): standardise them with the
    // training set's mean and spread so that one learning rate suits both parts of the head.
    double[] mean = new double[features];
    double[] square = new double[features];
    long count = 0;
    List<Prepared> prepared = new ArrayList<>(examples.size());
    for (EvidenceExample e : examples) {
      checkArgument(e.query().length == hidden, "examples have %s- and %s-dimensional queries", hidden, e.query().length);
      Prepared p = Prepared.of(e);
      prepared.add(p);
      for (double[] x : p.features) {
        for (int f = 0; f < features; f++) {
          mean[f] += x[f];
          square[f] += x[f] * x[f];
        }
        count++;
      }
    }
    float[] featureMean = new float[features];
    float[] featureScale = new float[features];
    for (int f = 0; f < features; f++) {
      mean[f] /= count;
      featureMean[f] = (float) mean[f];
      double variance = Math.max(0, square[f] / count - mean[f] * mean[f]);
      featureScale[f] = (float) Math.max(Math.sqrt(variance), 1e-6);
    }

    Random random = new Random(config.seed());
    int rank = config.rank();
    double[][] q = gaussian(random, hidden, rank, config.initScale());
    double[][] s = gaussian(random, hidden, rank, config.initScale());
    double[] w = new double[features];
    Adam adamQ = new Adam(hidden * rank);
    Adam adamS = new Adam(hidden * rank);
    Adam adamW = new Adam(features);
    List<Double> epochLosses = new ArrayList<>();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < prepared.size(); i++) {
      order.add(i);
    }
    for (int epoch = 0; epoch < config.epochs(); epoch++) {
      Collections.shuffle(order, random);
      double lossSum = 0;
      for (int index : order) {
        Prepared p = prepared.get(index);
        int n = p.features.length;
        double[][] x = new double[n][features];
        for (int i = 0; i < n; i++) {
          for (int f = 0; f < features; f++) {
            x[i][f] = (p.features[i][f] - featureMean[f]) / featureScale[f];
          }
        }
        double[] qr = multiply(p.query, q); // Qᵀ q̂ [rank]
        double[][] sr = new double[n][];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
          sr[i] = multiply(p.spans[i], s); // Sᵀ ŝ_i [rank]
          scores[i] = dot(x[i], w) + dot(qr, sr[i]);
        }
        double[] dScores = new double[n];
        lossSum += lossAndGradient(scores, p.matches, dScores);
        double[] gw = new double[features];
        double[] gqr = new double[rank];
        double[] gs = new double[hidden * rank];
        for (int i = 0; i < n; i++) {
          for (int f = 0; f < features; f++) {
            gw[f] += dScores[i] * x[i][f];
          }
          for (int r = 0; r < rank; r++) {
            gqr[r] += dScores[i] * sr[i][r];
          }
          for (int h = 0; h < hidden; h++) {
            double v = p.spans[i][h] * dScores[i];
            if (v != 0) {
              for (int r = 0; r < rank; r++) {
                gs[h * rank + r] += v * qr[r];
              }
            }
          }
        }
        double[] gq = new double[hidden * rank];
        for (int h = 0; h < hidden; h++) {
          for (int r = 0; r < rank; r++) {
            gq[h * rank + r] = p.query[h] * gqr[r] + config.l2() * q[h][r];
            gs[h * rank + r] += config.l2() * s[h][r];
          }
        }
        adamQ.step(q, gq, config.learningRate());
        adamS.step(s, gs, config.learningRate());
        adamW.step(w, gw, config.learningRate());
      }
      epochLosses.add(lossSum / prepared.size());
    }
    return new Result(
        EvidenceHead.of(toFloat(q), toFloat(s), toFloat(w), featureMean, featureScale), List.copyOf(epochLosses));
  }

  /**
   * The loss of one passage and its gradient with respect to the candidate scores. Default: listwise
   * softmax cross-entropy against the uniform distribution over the matching candidates.
   *
   * @param scores the head's score per candidate
   * @param matches which candidates match the teacher's sentence (at least one)
   * @param gradient receives d loss / d score per candidate (as long as {@code scores}); every entry
   *     must be written
   * @return the loss of the passage
   */
  protected double lossAndGradient(double[] scores, boolean[] matches, double[] gradient) {
    double max = Double.NEGATIVE_INFINITY;
    int matched = 0;
    for (int i = 0; i < scores.length; i++) {
      max = Math.max(max, scores[i]);
      matched += matches[i] ? 1 : 0;
    }
    double sum = 0;
    for (double v : scores) {
      sum += Math.exp(v - max);
    }
    double logSum = max + Math.log(sum);
    double loss = 0;
    for (int i = 0; i < scores.length; i++) {
      double target = matches[i] ? 1.0 / matched : 0;
      gradient[i] = Math.exp(scores[i] - logSum) - target;
      if (matches[i]) {
        loss -= target * (scores[i] - logSum);
      }
    }
    return loss;
  }

  /**
   * Share of examples whose best-scored candidate (ties: the earlier) matches the teacher's sentence:
   * evidence accuracy as {@code EvaluateExplanations} counts it.
   *
   * @param examples the examples, not empty
   * @param scorer scores each candidate
   * @return the share, in [0, 1]
   * @throws IllegalArgumentException if {@code examples} is empty
   */
  public static double accuracy(List<EvidenceExample> examples, CandidateScorer scorer) {
    checkArgument(!examples.isEmpty(), "no examples");
    int hits = 0;
    for (EvidenceExample e : examples) {
      int best = 0;
      float bestScore = scorer.score(e, 0);
      for (int i = 1; i < e.candidates(); i++) {
        float score = scorer.score(e, i);
        if (score > bestScore) {
          best = i;
          bestScore = score;
        }
      }
      hits += e.isMatch(best) ? 1 : 0;
    }
    return (double) hits / examples.size();
  }

  /** Scores candidate {@code i} of an example. */
  @FunctionalInterface
  public interface CandidateScorer {
    /**
     * Scores one candidate.
     *
     * @param example the example
     * @param i the candidate's 0-based index
     * @return the score; higher is better
     */
    float score(EvidenceExample example, int i);

    /**
     * The zero-shot evidence score: the sentence cosine alone.
     *
     * @return the scorer
     */
    static CandidateScorer zeroShot() {
      return (e, i) -> e.sentenceCosine(i);
    }

    /**
     * Scores candidates with a trained head.
     *
     * @param head the head
     * @return the scorer
     */
    static CandidateScorer of(EvidenceHead head) {
      return (e, i) -> head.score(e.query(), e.sentenceCosine(i), e.spanState(i));
    }
  }

  /** An example in the head's working form: normalised vectors and raw features. */
  private record Prepared(double[] query, double[][] spans, double[][] features, boolean[] matches) {
    static Prepared of(EvidenceExample e) {
      double[] query = toDouble(EvidenceHead.normalised(e.query()));
      double[][] spans = new double[e.candidates()][];
      double[][] features = new double[e.candidates()][];
      for (int i = 0; i < spans.length; i++) {
        spans[i] = toDouble(EvidenceHead.normalised(e.spanState(i)));
        features[i] = new double[] {e.sentenceCosine(i), dot(query, spans[i])};
      }
      return new Prepared(query, spans, features, e.matches());
    }
  }

  /** Adam (β 0.9 / 0.999, ε 1e-8) with bias correction over one parameter block. */
  private static final class Adam {
    private final double[] m;
    private final double[] v;
    private int t;

    Adam(int size) {
      m = new double[size];
      v = new double[size];
    }

    void step(double[][] parameter, double[] gradient, double learningRate) {
      int cols = parameter[0].length;
      advance();
      for (int h = 0; h < parameter.length; h++) {
        for (int r = 0; r < cols; r++) {
          parameter[h][r] -= update(h * cols + r, gradient[h * cols + r], learningRate);
        }
      }
    }

    void step(double[] parameter, double[] gradient, double learningRate) {
      advance();
      for (int i = 0; i < parameter.length; i++) {
        parameter[i] -= update(i, gradient[i], learningRate);
      }
    }

    private void advance() {
      t++;
    }

    private double update(int i, double g, double learningRate) {
      m[i] = 0.9 * m[i] + 0.1 * g;
      v[i] = 0.999 * v[i] + 0.001 * g * g;
      double mHat = m[i] / (1 - Math.pow(0.9, t));
      double vHat = v[i] / (1 - Math.pow(0.999, t));
      return learningRate * mHat / (Math.sqrt(vHat) + 1e-8);
    }
  }

  private static double[][] gaussian(Random random, int rows, int cols, double scale) {
    double[][] out = new double[rows][cols];
    for (double[] row : out) {
      for (int c = 0; c < cols; c++) {
        row[c] = random.nextGaussian() * scale;
      }
    }
    return out;
  }

  private static double[] multiply(double[] vector, double[][] matrix) {
    double[] out = new double[matrix[0].length];
    for (int h = 0; h < vector.length; h++) {
      if (vector[h] != 0) {
        for (int r = 0; r < out.length; r++) {
          out[r] += vector[h] * matrix[h][r];
        }
      }
    }
    return out;
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  private static double[] toDouble(float[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  private static float[] toFloat(double[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }

  private static float[][] toFloat(double[][] m) {
    float[][] out = new float[m.length][];
    for (int r = 0; r < m.length; r++) {
      out[r] = toFloat(m[r]);
    }
    return out;
  }
}
