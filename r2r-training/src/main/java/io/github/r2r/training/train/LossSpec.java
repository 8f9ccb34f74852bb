package io.github.r2r.training.train;

import io.github.r2r.training.train.loss.ListNetLoss;
import io.github.r2r.training.train.loss.MarginMseLoss;
import io.github.r2r.training.train.loss.PointwiseBceLoss;
import io.github.r2r.training.train.loss.RankNetLoss;
import io.github.r2r.training.train.loss.RankingLoss;
import io.github.r2r.training.train.loss.TargetSource;
import io.github.r2r.training.train.loss.WeightedSumLoss;
import ai.djl.ndarray.NDManager;
import java.util.Set;

/**
 * Builds a {@link RankingLoss} from a short text, for config files: a term is
 * {@code listnet-labels[:temperature]}, {@code listnet-ranks[:temperature]}, {@code ranknet-labels},
 * {@code ranknet-ranks}, {@code margin-mse-labels} or {@code bce-labels[:maxGrade]}; terms joined with
 * {@code +} form a weighted sum, each optionally prefixed {@code weight*}; a leading {@code learnable:}
 * makes the weights learnable (Reason-to-Rank's sigmoid-weighted sum).
 */
public final class LossSpec {
  private static final Set<String> TAKES_ARGUMENT = Set.of("listnet-labels", "listnet-ranks", "bce-labels");

  private LossSpec() {}

  /**
   * Parses a loss spec (see the class comment), e.g. {@code learnable:0.5*listnet-ranks+0.5*ranknet-ranks}.
   *
   * @param spec the spec
   * @param learnableWeightsManager the long-lived manager that holds learnable weights; needed only for a
   *     {@code learnable:} spec
   * @return the loss
   * @throws IllegalArgumentException for any mistake, with {@code in loss spec '<spec>'} in the message
   */
  public static RankingLoss parse(String spec, NDManager learnableWeightsManager) {
    if (spec == null) {
      throw new IllegalArgumentException("loss spec is null");
    }
    try {
      return build(spec.trim(), learnableWeightsManager);
    } catch (IllegalArgumentException | IllegalStateException e) {
      // The losses and the weighted sum check their own arguments without knowing the spec text.
      throw new IllegalArgumentException(e.getMessage() + " in loss spec '" + spec + "'", e);
    }
  }

  private static RankingLoss build(String text, NDManager learnableWeightsManager) {
    boolean learnable = text.startsWith("learnable:");
    if (learnable) {
      text = text.substring("learnable:".length());
    }
    String[] terms = text.split("\\+", -1);
    if (terms.length == 1 && !learnable && !terms[0].contains("*")) {
      return term(terms[0].trim());
    }
    WeightedSumLoss.Builder builder = WeightedSumLoss.builder();
    for (String raw : terms) {
      String t = raw.trim();
      float weight = learnable ? 0.5f : 1f; // learnable weights start at sigmoid(w) = 0.5
      int star = t.indexOf('*');
      if (star >= 0) {
        weight = number(t.substring(0, star));
        t = t.substring(star + 1).trim();
      }
      builder.add(term(t), weight);
    }
    return learnable ? builder.buildLearnable(learnableWeightsManager) : builder.buildFixed();
  }

  private static RankingLoss term(String term) {
    if (term.isEmpty()) {
      throw new IllegalArgumentException("an empty term");
    }
    String[] parts = term.split(":", -1);
    String name = parts[0].trim();
    if (parts.length > 2) {
      throw new IllegalArgumentException("loss term '" + term + "' has more than one argument");
    }
    Float arg = parts.length > 1 ? number(parts[1]) : null;
    if (arg != null && !TAKES_ARGUMENT.contains(name)) {
      throw new IllegalArgumentException("loss term '" + name + "' takes no argument, got '" + parts[1] + "'");
    }
    switch (name) {
      case "listnet-labels":
        return ListNetLoss.fromGradedLabels(arg == null ? 1f : arg);
      case "listnet-ranks":
        return ListNetLoss.fromTeacherRanks(arg == null ? 1f : arg);
      case "ranknet-labels":
        return RankNetLoss.fromGradedLabels();
      case "ranknet-ranks":
        return RankNetLoss.fromTeacherRanks();
      case "margin-mse-labels":
        return MarginMseLoss.of(TargetSource.GRADED_LABELS);
      case "bce-labels":
        return PointwiseBceLoss.scaledByMaxGrade(arg == null ? 3f : arg);
      default:
        throw new IllegalArgumentException("unknown loss term '" + name + "'");
    }
  }

  private static float number(String text) {
    try {
      return Float.parseFloat(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a number", e);
    }
  }
}
