package io.github.r2r.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.r2r.model.Precision;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModelOptionTest {
  private static CommandLine cli(String... args) {
    return new CommandLine(args, Set.of("precision"));
  }

  @Test
  void precisionDefaultsToFloat32AndParsesBothValues() {
    assertEquals(Precision.FP32, ModelOption.precision(cli()));
    assertEquals(Precision.FP32, ModelOption.precision(cli("--precision", "fp32")));
    assertEquals(Precision.BF16, ModelOption.precision(cli("--precision", "bf16")));
    assertEquals(Precision.INT8, ModelOption.precision(cli("--precision", "int8")));
  }

  @Test
  void shippedExplainersFollowTheRerankersChoice() throws java.io.IOException {
    // The bundled student explains with what was shipped for its base encoder; a pretrained encoder with
    // its own; a model directory with none (it carries its own).
    assertEquals(java.util.Optional.of("e5-small-v2"), ModelOption.shippedExplainers("bundled"));
    assertEquals(java.util.Optional.of("all-minilm-l6-v2"), ModelOption.shippedExplainers("all-minilm-l6-v2"));
    assertEquals(java.util.Optional.empty(), ModelOption.shippedExplainers("runs/some-model"));
  }

  @Test
  void anUnknownPrecisionIsNamed() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelOption.precision(cli("--precision", "fp16")));
    assertTrue(e.getMessage().contains("--precision must be fp32, bf16, int8 or auto, got fp16"), e.getMessage());
  }
}
