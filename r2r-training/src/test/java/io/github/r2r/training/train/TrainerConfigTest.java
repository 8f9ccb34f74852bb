package io.github.r2r.training.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrainerConfigTest {
  @Test
  void jsonOverridesTheGivenKeysAndKeepsTheOtherDefaults() {
    TrainerConfig config =
        TrainerConfig.fromJson("{\"steps\": 40, \"learningRate\": 3e-5, \"seed\": 99}");

    assertEquals(40, config.steps);
    assertEquals(3e-5f, config.learningRate);
    assertEquals(99L, config.seed);
    assertEquals(2, config.listsPerStep);
    assertEquals(192, config.maxLength);
    assertEquals(0.1f, config.warmupFraction);
  }

  @Test
  void toJsonReadsBackToTheSameValues() {
    TrainerConfig config = new TrainerConfig();
    config.steps = 17;
    config.scoreScale = 12.5f;
    config.checkpointEvery = 5;

    TrainerConfig back = TrainerConfig.fromJson(config.toJson());

    assertEquals(config.toJson(), back.toJson());
    assertEquals(17, back.steps);
    assertEquals(12.5f, back.scoreScale);
  }

  @Test
  void anUnknownKeyIsRejectedByName() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TrainerConfig.fromJson("{\"steps\": 5, \"learningrate\": 1e-4}"));
    assertEquals("trainer config has an unknown key 'learningrate'", e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"steps\": 0} | steps must be positive, got 0",
        "{\"listsPerStep\": 0} | listsPerStep must be positive, got 0",
        "{\"learningRate\": -1} | learningRate must be positive and finite, got -1.0",
        "{\"warmupFraction\": 1} | warmupFraction must be in [0, 1), got 1.0",
        "{\"weightDecay\": -0.1} | weightDecay must be non-negative and finite, got -0.1",
        "{\"maxGradNorm\": 0} | maxGradNorm must be positive and finite, got 0.0",
        "{\"maxLength\": 8} | maxLength must be in [16, 512], got 8",
        "{\"maxLength\": 1024} | maxLength must be in [16, 512], got 1024",
        "{\"scoreScale\": 0} | scoreScale must be positive and finite, got 0.0",
        "{\"evalEvery\": -1} | evalEvery must be non-negative, got -1",
        "{\"checkpointEvery\": 0} | checkpointEvery must be positive, got 0",
        "{\"lossWeightLearningRate\": -1} | lossWeightLearningRate must be non-negative and finite, got -1.0",
      })
  void anOutOfRangeValueIsRejectedWithItsNameAndValue(String json, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TrainerConfig.fromJson(json));
    assertEquals(message, e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "learningRate | learningRate must be positive and finite, got Infinity",
        "weightDecay | weightDecay must be non-negative and finite, got Infinity",
        "maxGradNorm | maxGradNorm must be positive and finite, got Infinity",
        "lossWeightLearningRate | lossWeightLearningRate must be non-negative and finite, got Infinity",
        "scoreScale | scoreScale must be positive and finite, got Infinity",
      })
  void anInfiniteValueIsRejectedWithItsName(String key, String message) throws ReflectiveOperationException {
    TrainerConfig config = new TrainerConfig();
    TrainerConfig.class.getField(key).setFloat(config, Float.POSITIVE_INFINITY);

    IllegalArgumentException set = assertThrows(IllegalArgumentException.class, config::validate);
    assertEquals(message, set.getMessage());
    // A float literal beyond the float range reads as infinity.
    IllegalArgumentException read =
        assertThrows(IllegalArgumentException.class, () -> TrainerConfig.fromJson("{\"" + key + "\": 1e39}"));
    assertEquals(message, read.getMessage());
  }

  @Test
  void aCopyIsEqualInValueAndIndependent() {
    TrainerConfig config = new TrainerConfig();
    config.steps = 17;
    config.scoreScale = 12.5f;

    TrainerConfig copy = config.copy();
    config.steps = 99;

    assertEquals(17, copy.steps);
    assertEquals(12.5f, copy.scoreScale);
    config.steps = 17;
    assertEquals(config.toJson(), copy.toJson());
  }

  @Test
  void malformedJsonAndNonIntegersAreReportedAsUnparsableWithTheirPath() {
    IllegalArgumentException broken =
        assertThrows(IllegalArgumentException.class, () -> TrainerConfig.fromJson("{\"steps\": 5"));
    assertTrue(
        broken.getMessage().startsWith("trainer config does not parse: "), broken.getMessage());

    IllegalArgumentException fraction =
        assertThrows(
            IllegalArgumentException.class, () -> TrainerConfig.fromJson("{\"steps\": 2.5}"));
    assertTrue(
        fraction.getMessage().startsWith("trainer config does not parse: "), fraction.getMessage());
    assertTrue(
        fraction.getMessage().contains("$.steps"), "names the field: " + fraction.getMessage());
  }

  @Test
  void aNonNumberForANumberKeyIsRejectedByName() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> TrainerConfig.fromJson("{\"steps\": \"many\"}"));
    assertEquals("trainer config key 'steps' must be a number, got \"many\"", e.getMessage());
  }

  @Test
  void theLearningRateWarmsUpLinearlyThenDecaysLinearlyToZero() {
    TrainerConfig config = new TrainerConfig();
    config.steps = 10;
    config.warmupFraction = 0.2f; // 2 warm-up steps
    config.learningRate = 1e-3f;

    // Warm-up: lr * (step + 1) / 2.
    assertEquals(5e-4f, config.learningRateAt(0), 1e-9f);
    assertEquals(1e-3f, config.learningRateAt(1), 1e-9f);
    // Decay: lr * (10 - step) / (10 - 2).
    assertEquals(1e-3f, config.learningRateAt(2), 1e-9f);
    assertEquals(6.25e-4f, config.learningRateAt(5), 1e-9f);
    assertEquals(1.25e-4f, config.learningRateAt(9), 1e-9f);
    assertEquals(0f, config.learningRateAt(10));
  }

  @Test
  void warmUpLengthRoundsItsShareOfTheStepsAndLastsAtLeastOneStep() {
    TrainerConfig config = new TrainerConfig();
    config.steps = 10;
    config.learningRate = 1f;
    config.warmupFraction = 0.25f; // 2.5 rounds to 3 warm-up steps

    assertEquals(1f / 3, config.learningRateAt(0), 1e-6f);
    assertEquals(2f / 3, config.learningRateAt(1), 1e-6f);
    assertEquals(1f, config.learningRateAt(2), 1e-6f);
    assertEquals(1f, config.learningRateAt(3), 1e-6f); // (10 - 3) / (10 - 3)
    assertEquals(1f / 7, config.learningRateAt(9), 1e-6f);

    config.warmupFraction = 0f; // still one warm-up step, at the full rate
    assertEquals(1f, config.learningRateAt(0), 1e-6f);
    assertEquals(5f / 9, config.learningRateAt(5), 1e-6f); // (10 - 5) / (10 - 1)
  }

  @Test
  void aNullForANumericKeyIsRefusedNotReadAsTheDefault() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TrainerConfig.fromJson("{\"steps\": null}"));
    assertEquals("trainer config key 'steps' must be a number, got null", e.getMessage());
  }
}
