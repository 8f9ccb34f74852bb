package io.github.r2r.examples;

import ai.djl.Device;
import io.github.r2r.EvidenceScoring;
import io.github.r2r.Reranker;
import io.github.r2r.model.BundledModel;
import io.github.r2r.model.Precision;
import io.github.r2r.model.PretrainedEncoder;
import io.github.r2r.model.RankingModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The programs' {@code --model} option: {@code bundled} (the default model), the name of a pretrained
 * encoder ({@code e5-small-v2}, {@code bge-small-en-v1.5}, {@code all-minilm-l6-v2}), or a model
 * directory.
 */
final class ModelOption {
  private ModelOption() {}

  /** The pretrained encoder of that name, or null when the name is not one. */
  static PretrainedEncoder pretrainedByName(String name) {
    for (PretrainedEncoder e : PretrainedEncoder.values()) {
      if (e.modelName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  /** The model directory {@code option} names, or null for the bundled model or a pretrained encoder. */
  static Path directory(String option) {
    return option.equals("bundled") || pretrainedByName(option) != null ? null : Path.of(option);
  }

  /**
   * The programs' {@code --evidence} values that choose a scoring: {@code auto} (the model's trained
   * head when it has one), {@code head}, {@code zero-shot}.
   */
  static EvidenceScoring evidenceScoring(String value) {
    return switch (value) {
      case "auto" -> EvidenceScoring.AUTO;
      case "head" -> EvidenceScoring.TRAINED_HEAD;
      case "zero-shot" -> EvidenceScoring.ZERO_SHOT;
      default -> throw new UsageException("--evidence must be auto, head or zero-shot, got " + value);
    };
  }

  /** How the programs' usage lines spell {@code --precision}, so that they all list every value. */
  static final String PRECISION_USAGE = "[--precision fp32|bf16|int8|auto]";

  /**
   * The programs' {@code --precision} values: {@code fp32} (the default), {@code bf16}, {@code int8}, and {@code auto}
   * ({@link Precision#fastestForThisCpu()}).
   */
  static Precision precision(CommandLine cli) {
    String value = cli.optional("precision").orElse("fp32");
    return switch (value) {
      case "fp32" -> Precision.FP32;
      case "bf16" -> Precision.BF16;
      case "int8" -> Precision.INT8;
      case "auto" -> Precision.fastestForThisCpu();
      default -> throw new UsageException("--precision must be fp32, bf16, int8 or auto, got " + value);
    };
  }

  /**
   * The pretrained encoder whose shipped reason decoder and evidence head fit the model {@code option}
   * names, as the Reranker chooses them: a pretrained encoder's own, the bundled model's choice
   * ({@link BundledModel#explainers}), none for a model directory (it carries its own).
   */
  static Optional<String> shippedExplainers(String option) throws IOException {
    return BundledModel.explainersFor(directory(option), pretrainedByName(option));
  }

  /** Points {@code builder} at the model {@code option} names; returns the builder. */
  static Reranker.Builder select(Reranker.Builder builder, String option) {
    PretrainedEncoder pretrained = pretrainedByName(option);
    if (pretrained != null) {
      builder.model(pretrained);
    } else if (!option.equals("bundled")) {
      builder.model(Path.of(option));
    }
    return builder;
  }

  /** Loads the model {@code option} names, on the CPU. */
  static RankingModel load(String option) throws IOException {
    if (option.equals("bundled")) {
      return BundledModel.load(Device.cpu());
    }
    PretrainedEncoder pretrained = pretrainedByName(option);
    return pretrained != null
        ? RankingModel.pretrained(pretrained, Device.cpu())
        : RankingModel.load(Path.of(option), Device.cpu());
  }
}
