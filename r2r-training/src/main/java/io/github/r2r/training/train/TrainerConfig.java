package io.github.r2r.training.train;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;

/**
 * Hyper-parameters of a {@link DistillationTrainer} run. Every field has a default; a JSON file may
 * override any subset (unknown keys are rejected so a typo does not silently train with a default).
 */
public final class TrainerConfig {
  /** Optimisation steps in total (each step = {@link #listsPerStep} lists). */
  public int steps = 300;

  /**
   * Candidate lists per step, all of one source; every source needs at least this many lists.
   */
  public int listsPerStep = 2;
  /** Peak learning rate (AdamW), reached after the warm-up. */
  public float learningRate = 2e-5f;
  /** Share of {@link #steps} spent warming the learning rate up linearly from 0; then linear decay to 0. */
  public float warmupFraction = 0.1f;

  /** AdamW's decoupled weight decay. */
  public float weightDecay = 0.01f;
  /** Global gradient-norm clip. */
  public float maxGradNorm = 1.0f;
  /** Learning rate of learnable loss weights (Reason-to-Rank's sigmoid-weighted sum), if any. */
  public float lossWeightLearningRate = 1e-3f;

  /** Seed of the list order and of dropout. */
  public long seed = 13;
  /** Longest training input in tokens (passages are cut; queries are short). */
  public int maxLength = 192;
  /**
   * Bi-encoder only: cosine similarities are multiplied by this before the loss, i.e. the inverse
   * temperature of the student's softmax over a list (cosines of pretrained encoders span a narrow range).
   */
  public float scoreScale = 20f;

  /**
   * Embeddings and the lowest this-many encoder layers stay frozen. Their forward pass then records no
   * autograd graph, so a step costs much less, and the pretrained lower layers are kept as they are.
   */
  public int frozenLayers = 0;

  /** Evaluate on the dev set every this many steps (0 = only at the end). */
  public int evalEvery = 50;
  /** Write a resumable checkpoint every this many steps. */
  public int checkpointEvery = 25;
  /**
   * Stop with {@link TrainingDivergedException} after this many consecutive steps skipped for a
   * non-finite loss or gradient (0 = never stop).
   */
  public int maxConsecutiveSkips = 20;

  /**
   * Checks every value's range (finite where a float has no upper bound) and returns this config.
   *
   * @return this config
   * @throws IllegalArgumentException naming the first value out of its range
   */
  public TrainerConfig validate() {
    checkArgument(steps >= 1, "steps must be positive, got %s", steps);
    checkArgument(listsPerStep >= 1, "listsPerStep must be positive, got %s", listsPerStep);
    checkArgument(learningRate > 0 && Float.isFinite(learningRate), "learningRate must be positive and finite, got %s",
        learningRate);
    checkArgument(warmupFraction >= 0 && warmupFraction < 1, "warmupFraction must be in [0, 1), got %s", warmupFraction);
    checkArgument(weightDecay >= 0 && Float.isFinite(weightDecay), "weightDecay must be non-negative and finite, got %s",
        weightDecay);
    checkArgument(maxGradNorm > 0 && Float.isFinite(maxGradNorm), "maxGradNorm must be positive and finite, got %s",
        maxGradNorm);
    checkArgument(lossWeightLearningRate >= 0 && Float.isFinite(lossWeightLearningRate),
        "lossWeightLearningRate must be non-negative and finite, got %s", lossWeightLearningRate);
    checkArgument(maxLength >= 16 && maxLength <= 512, "maxLength must be in [16, 512], got %s", maxLength);
    checkArgument(scoreScale > 0 && Float.isFinite(scoreScale), "scoreScale must be positive and finite, got %s",
        scoreScale);
    checkArgument(frozenLayers >= 0, "frozenLayers must be non-negative, got %s", frozenLayers);
    checkArgument(evalEvery >= 0, "evalEvery must be non-negative, got %s", evalEvery);
    checkArgument(checkpointEvery >= 1, "checkpointEvery must be positive, got %s", checkpointEvery);
    checkArgument(maxConsecutiveSkips >= 0, "maxConsecutiveSkips must be non-negative, got %s", maxConsecutiveSkips);
    return this;
  }

  /**
   * Learning rate at 0-based {@code step}: linear warm-up, then linear decay to zero.
   *
   * @param step the 0-based step
   * @return the learning rate at {@code step}
   */
  public float learningRateAt(int step) {
    return warmupThenLinearDecay(learningRate, warmupFraction, steps, step);
  }

  /** {@code peak} after a linear warm-up over the first {@code warmupFraction} of the steps, then linear decay to zero. */
  static float warmupThenLinearDecay(float peak, float warmupFraction, int steps, int step) {
    int warmup = Math.max(1, Math.round(warmupFraction * steps));
    if (step < warmup) {
      return peak * (step + 1) / warmup;
    }
    return peak * Math.max(0f, (float) (steps - step) / Math.max(1, steps - warmup));
  }

  /**
   * Parses a JSON object of settings; keys left out keep their defaults.
   *
   * @param json a JSON object whose keys are field names ({@code null} or empty text gives the defaults)
   * @return the validated config
   * @throws IllegalArgumentException if the text does not parse or is not an object, a key is unknown,
   *     a value has the wrong type (the message names the key), or a value is out of range
   */
  public static TrainerConfig fromJson(String json) {
    try {
      JsonElement tree = JsonParser.parseString(json);
      if (tree.isJsonObject()) {
        for (Map.Entry<String, JsonElement> entry : tree.getAsJsonObject().entrySet()) {
          Field field = field(entry.getKey());
          checkArgument(field != null, "trainer config has an unknown key '%s'", entry.getKey());
          JsonElement value = entry.getValue();
          // Gson reports a non-number for a number field without naming the field, and reads a null
          // as "keep the default": {"steps": null} would silently train the default 300 steps.
          checkArgument(
              !isNumeric(field) || (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()),
              "trainer config key '%s' must be a number, got %s",
              entry.getKey(),
              value);
        }
      }
      // Read from the text, not the tree, so that a wrong-typed value is reported with its JSON path.
      TrainerConfig config = GSON.fromJson(json, TrainerConfig.class);
      return (config == null ? new TrainerConfig() : config).validate();
    } catch (JsonParseException e) {
      throw new IllegalArgumentException("trainer config does not parse: " + e.getMessage(), e);
    }
  }

  private static Field field(String name) {
    for (Field field : TrainerConfig.class.getFields()) {
      if (field.getName().equals(name) && !Modifier.isStatic(field.getModifiers())) {
        return field;
      }
    }
    return null;
  }

  private static boolean isNumeric(Field field) {
    return field.getType().isPrimitive() && field.getType() != boolean.class;
  }

  /** {@return the settings as a pretty-printed JSON object, readable by {@link #fromJson}} */
  public String toJson() {
    return GSON.toJson(this);
  }

  /**
   * An independent copy: a trainer keeps one, so that changing the caller's object later changes nothing.
   *
   * @return the copy
   */
  public TrainerConfig copy() {
    return GSON.fromJson(toJson(), TrainerConfig.class);
  }

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();
}
