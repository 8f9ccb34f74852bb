package io.github.r2r.training.train;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.r2r.generate.ReasonConfig;
import java.lang.reflect.Field;
import java.util.Map;

/** Settings of a {@link ReasonTrainer} run; JSON keys are the field names. */
public final class ReasonTrainerConfig {
  /** Optimisation steps in total. */
  public int steps = 1500;
  /** Reasons per optimisation step. */
  public int batchSize = 16;
  /** Peak learning rate (AdamW), reached after the warm-up. */
  public float learningRate = 2e-4f;
  /** Share of {@link #steps} spent warming the learning rate up linearly from 0; then linear decay to 0. */
  public float warmupFraction = 0.05f;
  /** AdamW's decoupled weight decay. */
  public float weightDecay = 0.01f;
  /** Global gradient-norm clip. */
  public float maxGradNorm = 1.0f;
  /** Share of the target distribution spread uniformly over the vocabulary (0 turns it off). */
  public float labelSmoothing = 0.1f;
  /** Seed of the batch order and of dropout. */
  public long seed = 17;
  /**
   * Transformer layers of the decoder, for the {@link ReasonConfig} of the model to train (the trainer
   * itself trains the model it is given).
   */
  public int decoderLayers = 2;
  /** Decoder positions, start token included, for the {@link ReasonConfig} of the model to train. */
  public int maxReasonTokens = 64;
  /** The longest encoder input in tokens, for the {@link ReasonConfig} of the model to train. */
  public int maxInputTokens = 320;
  /** Whether the decoder can copy input tokens (pointer-generator; see ReasonDecoder). */
  public boolean copyAttention = true;
  /**
   * Largest rank named in the inputs' rank hints, 0 for none (see ReasonConfig#rankHints): the teacher
   * data ranks windows of 5 passages.
   */
  public int rankHints = 0;
  /** Evaluate on the dev examples every this many steps (0 = only at the end). */
  public int evalEvery = 250;
  /** Write a resumable checkpoint every this many steps. */
  public int checkpointEvery = 50;
  /**
   * Stop with {@link TrainingDivergedException} after this many consecutive steps skipped for a
   * non-finite loss or gradient (0 = never stop).
   */
  public int maxConsecutiveSkips = 20;

  /**
   * Checks every value's range and returns this config.
   *
   * @return this config
   * @throws IllegalArgumentException naming the first value out of its range
   */
  public ReasonTrainerConfig validate() {
    checkArgument(steps >= 1, "steps must be positive, got %s", steps);
    checkArgument(batchSize >= 1, "batchSize must be positive, got %s", batchSize);
    checkArgument(learningRate > 0 && Float.isFinite(learningRate), "learningRate must be positive and finite, got %s",
        learningRate);
    checkArgument(warmupFraction >= 0 && warmupFraction < 1, "warmupFraction must be in [0, 1), got %s", warmupFraction);
    checkArgument(weightDecay >= 0 && Float.isFinite(weightDecay), "weightDecay must be non-negative and finite, got %s",
        weightDecay);
    checkArgument(maxGradNorm > 0 && Float.isFinite(maxGradNorm), "maxGradNorm must be positive and finite, got %s",
        maxGradNorm);
    checkArgument(labelSmoothing >= 0 && labelSmoothing < 1, "labelSmoothing must be in [0, 1), got %s", labelSmoothing);
    checkArgument(decoderLayers >= 1, "decoderLayers must be positive, got %s", decoderLayers);
    checkArgument(maxReasonTokens >= 2, "maxReasonTokens must be at least 2, got %s", maxReasonTokens);
    checkArgument(maxInputTokens >= 16, "maxInputTokens must be at least 16, got %s", maxInputTokens);
    checkArgument(rankHints >= 0 && rankHints <= ReasonConfig.MAX_RANK_HINTS,
        "rankHints must be between 0 and %s, got %s", ReasonConfig.MAX_RANK_HINTS, rankHints);
    checkArgument(evalEvery >= 0, "evalEvery must be non-negative (0: only at the end), got %s", evalEvery);
    checkArgument(checkpointEvery >= 1, "checkpointEvery must be positive, got %s", checkpointEvery);
    checkArgument(maxConsecutiveSkips >= 0, "maxConsecutiveSkips must be non-negative, got %s", maxConsecutiveSkips);
    return this;
  }

  /**
   * Linear warm-up, then linear decay to zero (as {@link TrainerConfig#learningRateAt}).
   *
   * @param step the 0-based step
   * @return the learning rate at {@code step}
   */
  public float learningRateAt(int step) {
    return TrainerConfig.warmupThenLinearDecay(learningRate, warmupFraction, steps, step);
  }

  /**
   * Parses a JSON object of settings; keys left out keep their defaults.
   *
   * @param json a JSON object whose keys are field names
   * @return the validated config
   * @throws IllegalArgumentException if the text does not parse or is not an object, a key is unknown,
   *     a value has the wrong type (the message names the key), or a value is out of range
   */
  public static ReasonTrainerConfig fromJson(String json) {
    try {
      JsonElement tree = JsonParser.parseString(json);
      checkArgument(tree.isJsonObject(), "reason trainer config must be a JSON object");
      for (Map.Entry<String, JsonElement> entry : tree.getAsJsonObject().entrySet()) {
        Field field = field(entry.getKey());
        checkArgument(field != null, "reason trainer config has an unknown key '%s'", entry.getKey());
        JsonElement value = entry.getValue();
        boolean flag = field.getType() == boolean.class;
        checkArgument(
            value.isJsonPrimitive()
                && (flag ? value.getAsJsonPrimitive().isBoolean() : value.getAsJsonPrimitive().isNumber()),
            "reason trainer config key '%s' must be %s, got %s", entry.getKey(), flag ? "true or false" : "a number",
            value);
      }
      return GSON.fromJson(json, ReasonTrainerConfig.class).validate();
    } catch (JsonParseException e) {
      throw new IllegalArgumentException("reason trainer config does not parse: " + e.getMessage(), e);
    }
  }

  private static Field field(String name) {
    for (Field field : ReasonTrainerConfig.class.getFields()) {
      if (field.getName().equals(name) && !java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
        return field;
      }
    }
    return null;
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
  public ReasonTrainerConfig copy() {
    return GSON.fromJson(toJson(), ReasonTrainerConfig.class);
  }

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();
}
